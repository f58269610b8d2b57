/// `(context-items)`: the one way a strategy turns `context` into its list of items (the
/// template contract shared by the pattern library, the planner and `simulate --items`).
///
/// ```scheme
/// (context-items)                       ; `context` split into items
/// (context-items "first\n\nsecond")     ; => ("first" "second")
/// (context-items "[\"a\", \"b\"]")      ; => ("a" "b")
/// ```
func registerContextItemsLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn("context-items", 0, 1) { args in
        let text: String
        if args.count == 1 {
            text = try args[0].asString("context-items").string
        } else {
            guard case .string(let s)? = rt.global("context") else {
                throw SchemeError.contract("context-items", expected: "string? (the value of `context`)",
                                           given: rt.global("context") ?? .void)
            }
            text = s.string
        }
        let items = ContextItems.split(text)
        try rt.reserve(bytes: items.reduce(0) { $0 + $1.utf8.count * 4 + 64 })
        return .list(items.map { Value.str($0) })
    }
}

/// How a text becomes a list of items; the planner profiles real data with the same rule.
public enum ContextItems {
    /// Splits `text` into items.
    ///
    /// - A JSON array (the text, trimmed, starts with `[` and parses as one JSON document): one
    ///   item per element, in order. A string element is the item exactly as written (not trimmed,
    ///   kept even when empty); any other element (a number, an object, a nested array) becomes its
    ///   one-line JSON text, so an array of records gives one record per item.
    /// - Anything else (including text that starts with `[` but is not valid JSON): paragraphs
    ///   separated by one or more blank lines (lines holding only spaces or tabs count as blank;
    ///   `\r\n` is accepted), each trimmed of surrounding whitespace, empty ones dropped. Single line
    ///   breaks inside a paragraph are kept.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public static func split(_ text: String) -> [String] {
        if let elements = jsonArray(text) { return elements }
        return paragraphs(text)
    }

    /// The elements of `text` as items when it is a JSON array, nil otherwise.
    static func jsonArray(_ text: String) -> [String]? {
        guard text.utf8.first(where: { !JSONText.isSpace($0) }) == UInt8(ascii: "[") else { return nil }
        guard case .array(let elements)? = try? JSONValue.parse(text) else { return nil }
        return elements.map { element in
            if case .string(let s) = element { return s }
            return element.serialized()
        }
    }

    /// Blank-line separated paragraphs, trimmed, empty ones dropped.
    ///
    /// Works on the UTF-8 bytes: every separator is ASCII, and a paragraph is the text from its
    /// first line to its last, so each is cut out once. (Appending each line's scalars to a
    /// `UnicodeScalarView` was 40% of `rlm-plan suggest`'s CPU, perf.)
    static func paragraphs(_ text: String) -> [String] {
        var items: [String] = []
        var text = text
        text.withUTF8 { bytes in
            // Lines are split on the byte "\n" (a Swift Character treats "\r\n" as one), so a CRLF
            // line keeps its "\r", which counts as blank space and is trimmed at the paragraph's ends.
            var paragraph: Range<Int>? = nil
            func flush() {
                if let r = paragraph {
                    let p = trimmed(String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self))
                    if !p.isEmpty { items.append(p) }
                }
                paragraph = nil
            }
            var lineStart = 0
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                var blank = true
                while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") {
                    let b = bytes[lineEnd]
                    if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\r") { blank = false }
                    lineEnd += 1
                }
                if blank {
                    flush()
                } else {
                    paragraph = (paragraph?.lowerBound ?? lineStart)..<lineEnd
                }
                lineStart = lineEnd + 1
            }
            flush()
        }
        return items
    }

    private static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
