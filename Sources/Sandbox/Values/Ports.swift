/// A string output port: the captured stdout of an evaluation, or `open-output-string`.
///
/// There are no file, network or process ports: the sandbox only ever writes to memory.
public final class OutputPort: SchemeObject, @unchecked Sendable {
    private(set) var text: String = ""
    private(set) var byteCount = 0
    /// Maximum bytes accepted before an output-limit error.
    var limit: Int
    /// What the printer shows after `#<output-port:` (`string`, or `stdout` for the captured output).
    var name = "string"

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
    /// What the printer shows after `#<input-port:`.
    var name = "string"
    init(_ text: String) { scalars = Array(text.unicodeScalars) }
    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }
    public override var typeName: String { "input-port" }

    /// True when every character has been read.
    var atEnd: Bool { position >= scalars.count }

    /// The next character without consuming it; nil at end of input.
    func peek(skip: Int = 0) -> Unicode.Scalar? {
        let i = position + skip
        return i >= 0 && i < scalars.count ? scalars[i] : nil
    }

    /// Consumes and returns the next character; nil at end of input.
    func readChar() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        defer { position += 1 }
        return scalars[position]
    }

    /// Consumes up to `count` characters; nil when already at end of input.
    func readString(_ count: Int) -> [Unicode.Scalar]? {
        guard position < scalars.count else { return nil }
        let end = min(scalars.count, position + count)
        defer { position = end }
        return Array(scalars[position..<end])
    }

    /// How `read-line` recognises the end of a line (Racket's `mode` symbols).
    enum LineMode: String {
        case linefeed, `return`, returnLinefeed = "return-linefeed", any, anyOne = "any-one"
    }

    /// Consumes one line without its terminator; nil when already at end of input.
    func readLine(_ mode: LineMode) -> [Unicode.Scalar]? {
        guard position < scalars.count else { return nil }
        let start = position
        while position < scalars.count {
            let c = scalars[position]
            let next: Unicode.Scalar? = position + 1 < scalars.count ? scalars[position + 1] : nil
            var terminator = 0
            switch mode {
            case .linefeed: if c == "\n" { terminator = 1 }
            case .return: if c == "\r" { terminator = 1 }
            case .returnLinefeed: if c == "\r" && next == "\n" { terminator = 2 }
            case .any:
                if c == "\r" && next == "\n" { terminator = 2 } else if c == "\n" || c == "\r" { terminator = 1 }
            case .anyOne: if c == "\n" || c == "\r" { terminator = 1 }
            }
            if terminator > 0 {
                let line = Array(scalars[start..<position])
                position += terminator
                return line
            }
            position += 1
        }
        return Array(scalars[start..<position])
    }
}
