import Foundation

/// Reads a pattern file: the `;; key: value` header (first non-`;;` line ends it) and, for each
/// `param`, the top-level `(define NAME DEFAULT)` it corresponds to.
enum PatternParser {
    static let knownKeys: Set<String> = ["pattern", "title", "purpose", "combinators", "kinds", "outputs", "quality", "fits", "avoid", "scaling"]

    /// The pattern in `source`; `file` names it in errors (`fan-out.scm:4: …`).
    static func parse(_ source: String, file: String) throws -> Pattern {
        var fields: [String: String] = [:]
        var params: [(name: String, text: String, line: Int)] = []
        var lastKey: String?
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix(";;") else { break }
            let body = line.drop { $0 == ";" }.trimmingCharacters(in: .whitespaces)
            if body.isEmpty { continue }
            if let colon = body.firstIndex(of: ":") {
                let key = body[..<colon].trimmingCharacters(in: .whitespaces)
                let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if key.hasPrefix("param ") {
                    let name = key.dropFirst("param ".count).trimmingCharacters(in: .whitespaces)
                    params.append((name, value, index + 1))
                    lastKey = "param"
                    continue
                }
                if knownKeys.contains(key) {
                    if fields[key] != nil { throw PlannerError("\(file):\(index + 1): the header gives \"\(key):\" twice") }
                    fields[key] = value
                    lastKey = key
                    continue
                }
            }
            // A line that is not `key: value` continues the previous value (wrapped text).
            if let key = lastKey {
                if key == "param", let last = params.popLast() {
                    params.append((last.name, last.text + " " + body, last.line))
                } else if let previous = fields[key] {
                    fields[key] = previous + " " + body
                }
            }
        }
        func required(_ key: String) throws -> String {
            guard let v = fields[key], !v.isEmpty else { throw PlannerError("\(file): the header has no \"\(key):\" line") }
            return v
        }
        let name = try required("pattern")
        guard let outputs = Pattern.Outputs(rawValue: try required("outputs")) else {
            throw PlannerError("\(file): \"outputs: \(fields["outputs"] ?? "")\" must be one of \(Pattern.Outputs.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let (quality, reason) = try parseQuality(try required("quality"), file: file)
        let (scalesPerItem, totals) = try parseScaling(fields["scaling"], outputs: outputs, file: file)
        let defines = TopLevelDefines.scan(source)
        var parameters: [Pattern.Parameter] = []
        for p in params {
            let (defaultText, description) = split(p.text)
            guard let define = defines[p.name] else {
                throw PlannerError("\(file):\(p.line): param \(p.name) has no top-level (define \(p.name) …) in the code")
            }
            if defaultText != define.value {
                throw PlannerError("\(file):\(p.line): param \(p.name)'s default \(defaultText) differs from the code's (define \(p.name) \(define.isString ? "\"\(define.value)\"" : define.value))")
            }
            parameters.append(Pattern.Parameter(name: p.name, defaultValue: define.value, description: description,
                                                role: role(name: p.name, description: description),
                                                isString: define.isString, valueRange: define.range))
        }
        for total in totals where !parameters.contains(where: { $0.name == total && !$0.isString && Double($0.defaultValue) != nil }) {
            throw PlannerError("\(file): \"scaling:\" names \(total), which is not a numeric param of the header")
        }
        return Pattern(name: name, title: fields["title"] ?? name, purpose: try required("purpose"),
                       combinators: list(fields["combinators"]), kinds: list(fields["kinds"]), outputs: outputs,
                       quality: quality, qualityReason: reason, fits: fields["fits"] ?? "", avoid: fields["avoid"] ?? "",
                       parameters: parameters, scalesPerItem: scalesPerItem, totalParameters: totals, source: source)
    }

    /// `per-item | budget-usd` → (true, ["budget-usd"]); absent: per-item unless the pattern gives one answer.
    static func parseScaling(_ text: String?, outputs: Pattern.Outputs, file: String) throws -> (Bool, [String]) {
        guard let text else { return (outputs != .single, []) }
        let (kind, rest) = split(text)
        let totals = rest.split { $0 == "," || $0 == " " }.map(String.init)
        switch kind {
        case "per-item": return (true, totals)
        case "whole" where totals.isEmpty: return (false, [])
        default: throw PlannerError("\(file): \"scaling: \(text)\" must be per-item (optionally | the parameters that are totals) or whole")
        }
    }

    /// `0.70 | reason` → (0.70, "reason").
    static func parseQuality(_ text: String, file: String) throws -> (Double, String) {
        let (number, reason) = split(text)
        guard let q = Double(number), q >= 0, q <= 1 else {
            throw PlannerError("\(file): \"quality: \(text)\" must start with a number from 0 to 1")
        }
        return (q, reason)
    }

    /// `A | B` → ("A", "B"); no bar → (text, "").
    static func split(_ text: String) -> (String, String) {
        guard let bar = text.firstIndex(of: "|") else { return (text.trimmingCharacters(in: .whitespaces), "") }
        return (text[..<bar].trimmingCharacters(in: .whitespaces),
                text[text.index(after: bar)...].trimmingCharacters(in: .whitespaces))
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `(role: worker)` in the description, else the name's stem for `*-model` parameters.
    static func role(name: String, description: String) -> String? {
        if let r = description.range(of: "(role:") {
            let rest = description[r.upperBound...]
            if let close = rest.firstIndex(of: ")") { return rest[..<close].trimmingCharacters(in: .whitespaces) }
        }
        if name == "model" { return "worker" }
        if name.hasSuffix("-model") { return String(name.dropLast("-model".count)) }
        return nil
    }
}

/// The top-level `(define NAME VALUE)` forms of a program whose VALUE is one datum, with where
/// the value's text sits (UTF-8 offsets), skipping strings, comments and nested forms.
enum TopLevelDefines {
    struct Define { var value: String; var isString: Bool; var range: Range<Int> }

    static func scan(_ source: String) -> [String: Define] {
        let b = Array(source.utf8)
        var out: [String: Define] = [:]
        var i = 0, depth = 0
        func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 } }
        /// Index after the string literal starting at `start` (a `"`).
        func endOfString(_ start: Int) -> Int {
            var j = start + 1
            while j < b.count, b[j] != UInt8(ascii: "\"") { j += b[j] == UInt8(ascii: "\\") ? 2 : 1 }
            return min(j + 1, b.count)
        }
        func isDelimiter(_ c: UInt8) -> Bool { c <= 0x20 || "()[]\";".utf8.contains(c) }
        /// At `open` (a top-level paren): records `(define NAME VALUE)` when VALUE is one simple datum.
        func tryDefine(at open: Int) {
            let keyword = Array("define".utf8)
            var j = open + 1
            guard j + keyword.count < b.count, Array(b[j..<j + keyword.count]) == keyword, isDelimiter(b[j + keyword.count]) else { return }
            j += keyword.count
            while j < b.count, b[j] <= 0x20 { j += 1 }
            let nameStart = j
            while j < b.count, !isDelimiter(b[j]) { j += 1 }
            guard j > nameStart else { return }
            let name = String(decoding: b[nameStart..<j], as: UTF8.self)
            while j < b.count, b[j] <= 0x20 { j += 1 }
            guard j < b.count else { return }
            let valueStart = j
            let isString = b[j] == UInt8(ascii: "\"")
            let valueEnd: Int
            if isString {
                valueEnd = endOfString(j)
            } else {
                guard !"()[]".utf8.contains(b[j]) else { return }
                while j < b.count, !isDelimiter(b[j]) { j += 1 }
                valueEnd = j
            }
            var k = valueEnd
            while k < b.count, b[k] <= 0x20 { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: ")") || b[k] == UInt8(ascii: "]") else { return }
            let text = String(decoding: b[valueStart..<valueEnd], as: UTF8.self)
            let value = isString ? unescape(String(text.dropFirst().dropLast())) : text
            if out[name] == nil { out[name] = Define(value: value, isString: isString, range: valueStart..<valueEnd) }
        }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: ";") { while i < b.count, b[i] != 0x0A { i += 1 }; continue }
            if c == UInt8(ascii: "\"") { i = endOfString(i); continue }
            if c == UInt8(ascii: "#"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "\\") { i += 3; continue }  // #\( is a char
            if c == UInt8(ascii: "#"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "|") {
                while i + 1 < b.count, !(b[i] == UInt8(ascii: "|") && b[i + 1] == UInt8(ascii: "#")) { i += 1 }
                i += 2
                continue
            }
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") {
                if depth == 0 { tryDefine(at: i) }
                depth += 1; i += 1; continue
            }
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") { depth = max(depth - 1, 0); i += 1; continue }
            i += 1
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = "", escaped = false
        for ch in s {
            if escaped {
                switch ch { case "n": out += "\n"; case "t": out += "\t"; case "r": out += "\r"; default: out.append(ch) }
                escaped = false
            } else if ch == "\\" { escaped = true } else { out.append(ch) }
        }
        return out
    }
}
