/// A string output port: the captured stdout of an evaluation, or `open-output-string`.
public final class OutputPort: SchemeObject, @unchecked Sendable {
    private(set) var text: String = ""
    private(set) var byteCount = 0
    /// Maximum bytes accepted before an output-limit error.
    var limit: Int

    init(limit: Int = .max) { self.limit = limit }
    public override var typeName: String { "output-port" }

    /// Appends text, enforcing the output limit.
    func write(_ s: String) throws {
        let n = s.utf8.count
        if byteCount + n > limit {
            throw SchemeError(.outputLimit, "output limit exceeded: more than \(limit) bytes printed (limit output)")
        }
        byteCount += n
        text += s
    }
    /// Returns the text so far and empties the port.
    func take() -> String {
        defer { text = ""; byteCount = 0 }
        return text
    }
}

/// A string input port (`open-input-string`): reads code points from a position.
public final class InputPort: SchemeObject, @unchecked Sendable {
    let scalars: [Unicode.Scalar]
    var position: Int = 0
    init(_ text: String) { scalars = Array(text.unicodeScalars) }
    public override var typeName: String { "input-port" }
}
