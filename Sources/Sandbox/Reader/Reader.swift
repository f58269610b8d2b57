/// Reads Scheme source text into data (reference §4.1 item 1). Owned by the core.
public struct Reader {
    public init(_ text: String, sourceName: String? = nil) {}
    /// Reads every datum; a syntax error anywhere throws (nothing is returned).
    public mutating func readAll() throws -> [Value] { [] }
    /// Reads the next datum from a string port, advancing it; `eof` at end of input.
    static func readOne(from port: InputPort) throws -> Value { .object(EofObject.shared) }
}
