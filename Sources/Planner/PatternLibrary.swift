import Foundation

/// The strategy library: every `*.scm` in a directory (by default the project's `patterns/`,
/// found by `DataDirectories`), parsed and checked against the template contract.
///
/// A file that breaks the contract does not hide the others: it is left out and its error is in
/// `problems`, so `rlm-plan patterns list` can show both.
///
///     let library = try PatternLibrary.load()
///     library.list()                 // every pattern, by name
///     library.get("fan-out")?.instantiate(["worker-model": "gpt-4o-mini"])
public struct PatternLibrary: Sendable {
    /// The patterns, sorted by name.
    public private(set) var patterns: [Pattern]
    /// One message per file that could not be used (`file:line: what is wrong`).
    public private(set) var problems: [String]
    /// Where the patterns came from (nil when built from sources in memory).
    public private(set) var directory: URL?

    /// A library of the given patterns (tests, or sources not on disk).
    public init(patterns: [Pattern], problems: [String] = [], directory: URL? = nil) {
        self.patterns = patterns.sorted { $0.name < $1.name }
        self.problems = problems
        self.directory = directory
    }

    /// The patterns in `directory`, or in the located `patterns/` when nil.
    ///
    /// - Throws: `PlannerError` when the directory cannot be found or read (bad files are
    ///   `problems`, not errors).
    public static func load(directory: URL? = nil) throws -> PatternLibrary {
        let dir = try directory ?? DataDirectories.locate("patterns")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".scm") }.sorted()
        } catch {
            throw PlannerError("cannot read the patterns directory \(dir.path): \(error.localizedDescription)")
        }
        var patterns: [Pattern] = []
        var problems: [String] = []
        for file in names {
            let url = dir.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                problems.append("\(file): cannot be read")
                continue
            }
            do {
                let pattern = try PatternParser.parse(String(decoding: data, as: UTF8.self), file: file)
                let stem = String(file.dropLast(".scm".count))
                guard pattern.name == stem else {
                    problems.append("\(file): the header says \"pattern: \(pattern.name)\"; it must match the file name (\(stem))")
                    continue
                }
                patterns.append(pattern)
            } catch {
                problems.append("\(error)")
            }
        }
        return PatternLibrary(patterns: patterns, problems: problems, directory: dir)
    }

    /// Parses one pattern from its text (`file` names it in errors).
    public static func parse(_ source: String, file: String) throws -> Pattern {
        try PatternParser.parse(source, file: file)
    }

    /// Every pattern, sorted by name.
    public func list() -> [Pattern] { patterns }

    /// The pattern called `name` (the file's base name), nil when there is none.
    public func get(_ name: String) -> Pattern? { patterns.first { $0.name == name } }
}
