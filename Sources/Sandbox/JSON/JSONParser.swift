/// What a `JSONParser` builds: `JSONValue`s for the wire, Scheme values for `string->jsexpr`.
/// One parser, two builders, so both read exactly the same language.
protocol JSONBuilder {
    associatedtype Node
    func null() -> Node
    func bool(_ b: Bool) -> Node
    /// An integer literal too large for `Int`, as its decimal text (sign included).
    func bigInteger(_ text: String) -> Node
    func integer(_ i: Int) -> Node
    func double(_ d: Double) -> Node
    func string(_ s: String) -> Node
    func array(_ items: [Node]) -> Node
    /// Members in document order; a repeated key's later value wins.
    func object(_ members: [(String, Node)]) -> Node
}

/// A strict, iterative JSON parser over UTF-8 (reference §4.9).
///
/// Nesting is tracked on explicit stacks, never the Swift stack, and limited to `maxDepth`
/// levels so that freeing the result cannot overflow the stack either. `\uXXXX` escapes combine
/// surrogate pairs into one character; a lone surrogate is an error, as in Racket. Errors use
/// Racket's `string->jsexpr` wording with a 1-based byte position:
/// `string::7: string->jsexpr: bad input starting #"}"`.
struct JSONParser<Builder: JSONBuilder> {
    static var defaultMaxDepth: Int { 10_000 }

    private let bytes: [UInt8]
    private var i = 0
    private let builder: Builder
    private let who: String
    private let maxDepth: Int

    /// Bytes of input before `text` (a port's position), so error positions count from there.
    private let base: Int

    init(_ text: String, builder: Builder, who: String = "string->jsexpr", maxDepth: Int = 10_000, base: Int = 0) {
        self.bytes = Array(text.utf8)
        self.builder = builder
        self.who = who
        self.maxDepth = maxDepth
        self.base = base
    }

    /// True when the text holds nothing but whitespace (`string->jsexpr` returns eof then).
    var isBlank: Bool { bytes.allSatisfy(JSONText.isSpace) }

    /// Parses one JSON document; only whitespace may follow it.
    mutating func parseDocument() throws -> Builder.Node {
        let node = try parseValue()
        skipSpace()
        if i < bytes.count { throw badInput() }
        return node
    }

    /// Parses one JSON value at the start of the text (after whitespace) and returns it with
    /// the number of bytes consumed; what follows is left alone (`read-json` on a port).
    mutating func parsePrefix() throws -> (node: Builder.Node, consumed: Int) {
        let node = try parseValue()
        return (node, i)
    }

    /// Bytes of leading whitespace.
    var leadingSpace: Int { bytes.prefix(while: JSONText.isSpace).count }

    // MARK: Structure

    /// One open container: an array's items so far, or an object's members and pending key.
    private enum OpenKind { case array, object }

    private mutating func parseValue() throws -> Builder.Node {
        var kinds: [OpenKind] = []
        var arrays: [[Builder.Node]] = []
        var objects: [[(String, Builder.Node)]] = []
        var keys: [String] = []

        parsing: while true {
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end-of-file") }
            var node: Builder.Node
            switch bytes[i] {
            case UInt8(ascii: "["):
                try checkDepth(kinds.count)
                i += 1
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    node = builder.array([])
                } else {
                    kinds.append(.array)
                    arrays.append([])
                    continue parsing
                }
            case UInt8(ascii: "{"):
                try checkDepth(kinds.count)
                i += 1
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    node = builder.object([])
                } else {
                    kinds.append(.object)
                    objects.append([])
                    keys.append(try parseKey())
                    continue parsing
                }
            case UInt8(ascii: "\""):
                node = builder.string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                node = builder.bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                node = builder.bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                node = builder.null()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                node = try parseNumber()
            default:
                throw badInput()
            }

            // A value is complete: add it to the open containers, closing those that end.
            while let kind = kinds.last {
                skipSpace()
                let next: UInt8? = i < bytes.count ? bytes[i] : nil
                switch kind {
                case .array:
                    arrays[arrays.count - 1].append(node)
                    if next == UInt8(ascii: ",") {
                        i += 1
                        continue parsing
                    }
                    guard next == UInt8(ascii: "]") else { throw error("error while parsing a json array") }
                    i += 1
                    kinds.removeLast()
                    node = builder.array(arrays.removeLast())
                case .object:
                    objects[objects.count - 1].append((keys.removeLast(), node))
                    if next == UInt8(ascii: ",") {
                        i += 1
                        skipSpace()
                        keys.append(try parseKey())
                        continue parsing
                    }
                    guard next == UInt8(ascii: "}") else { throw error("error while parsing a json object") }
                    i += 1
                    kinds.removeLast()
                    node = builder.object(objects.removeLast())
                }
            }
            return node
        }
    }

    /// `"key" :` inside an object.
    private mutating func parseKey() throws -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
            if i >= bytes.count { throw error("error while parsing a json object pair") }
            // Racket reads a value here and then complains that it is not a string.
            switch bytes[i] {
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "["), UInt8(ascii: "{"),
                 UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                throw error("non-string value used for json object key")
            default:
                throw badInput()
            }
        }
        let key = try parseString()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("error while parsing a json object pair") }
        i += 1
        return key
    }

    private func checkDepth(_ open: Int) throws {
        if open >= maxDepth { throw error("JSON nested deeper than \(maxDepth) levels") }
    }

    // MARK: Atoms

    private mutating func expectLiteral(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let ok = i + n <= bytes.count && word.withUTF8Buffer { w in
            (0..<n).allSatisfy { bytes[i + $0] == w[$0] }
        }
        guard ok else { throw badInput() }
        i += n
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func parseNumber() throws -> Builder.Node {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        let intDigits = digits()
        guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else {
            i = start
            throw badInput()
        }
        var isInteger = true
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            isInteger = false
            guard digits() > 0 else {
                i = start
                throw badInput()
            }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            isInteger = false
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else {
                i = start
                throw badInput()
            }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if isInteger {
            if let n = Int(text) { return builder.integer(n) }
            return builder.bigInteger(text)
        }
        return builder.double(Double(text) ?? .nan)
    }

    /// A string literal starting at the opening quote.
    private mutating func parseString() throws -> String {
        i += 1
        var out = ""
        var runStart = i
        while i < bytes.count {
            // Skip a run of plain bytes at once (a multi-megabyte string is one run).
            i = Self.nextQuoteOrBackslash(in: bytes, from: i)
            guard i < bytes.count else { break }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                out += String(decoding: bytes[runStart..<i], as: UTF8.self)
                i += 1
                return out
            }
            guard b == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            out += String(decoding: bytes[runStart..<i], as: UTF8.self)
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out += "\""
            case UInt8(ascii: "\\"): out += "\\"
            case UInt8(ascii: "/"): out += "/"
            case UInt8(ascii: "b"): out += "\u{8}"
            case UInt8(ascii: "f"): out += "\u{C}"
            case UInt8(ascii: "n"): out += "\n"
            case UInt8(ascii: "r"): out += "\r"
            case UInt8(ascii: "t"): out += "\t"
            case UInt8(ascii: "u"): out.unicodeScalars.append(try parseUnicodeEscape())
            default:
                let shown = String(decoding: [e], as: UTF8.self)
                i -= 2
                throw error("bad string escape: \"\(shown)\"")
            }
            runStart = i
        }
        throw error("unterminated string")
    }

    /// The index of the first `"` or `\\` at or after `start` (`bytes.count` if none).
    private static func nextQuoteOrBackslash(in bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var j = start
            while j < buffer.count {
                let b = buffer[j]
                if b == 0x22 || b == 0x5C { return j }  // `"` or `\`
                j &+= 1
            }
            return j
        }
    }

    /// The character of a `\uXXXX` escape (after `\u`), joining a UTF-16 surrogate pair.
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let first = try hex4()
        if first >= 0xDC00 && first <= 0xDFFF {
            throw error("bad string \\u escape, missing second half of a UTF-16 pair")
        }
        if first >= 0xD800 && first <= 0xDBFF {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw error("bad string \\u escape, missing second half of a UTF-16 pair")
            }
            i += 2
            let second = try hex4()
            guard second >= 0xDC00 && second <= 0xDFFF else {
                throw error("bad string \\u escape, bad second half of a UTF-16 pair")
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            if let scalar = Unicode.Scalar(combined) { return scalar }
        }
        guard let scalar = Unicode.Scalar(first) else { throw error("bad string \\u escape") }
        return scalar
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("bad string \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = bytes[i + k]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw error("bad string \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        i += 4
        return v
    }

    // MARK: Helpers

    private mutating func skipSpace() {
        while i < bytes.count && JSONText.isSpace(bytes[i]) { i += 1 }
    }

    /// `string::<pos>: <who>: <message>`, pos the 1-based byte offset of the problem.
    private func error(_ message: String) -> JSONError {
        JSONError(message: "string::\(base + i + 1): \(who): \(message)", offset: base + i)
    }

    /// Racket's `bad input starting #"…"` showing (up to 100 bytes of) the rest of the input.
    private func badInput() -> JSONError {
        let rest = bytes[i...]
        var shown = JSONText.bytesLiteral(rest.prefix(100))
        if rest.count > 100 { shown += "..." }
        return error("bad input starting \(shown)")
    }
}
