/// Scheme-level list, hash and sequence procedures that call procedures (so fibers may suspend
/// inside them): map, for-each, filter, foldl, sort, … Compiled once per session at start-up.
enum PreludeLists {
    static let source = """
"""
}
