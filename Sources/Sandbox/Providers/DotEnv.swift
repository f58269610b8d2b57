import Foundation

/// A `.env` file reader, so an API key can live next to the project instead of in the shell.
///
/// Understands what people write in practice: `KEY=VALUE` lines, blank lines, `#` comments (whole
/// lines, and after whitespace in unquoted values), an optional `export ` prefix, single quotes
/// (taken literally) and double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may span lines).
/// Lines it cannot read are skipped, never fatal: a stray line must not hide the key.
package enum DotEnv {
    /// The variables in `text`; a later assignment of the same key wins.
    package static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var scanner = Scanner(Array(text.unicodeScalars))
        while !scanner.isAtEnd {
            if let (key, value) = scanner.assignment() { result[key] = value }
            scanner.skipRestOfLine()
        }
        return result
    }

    /// The variables in the file at `path`; empty when it does not exist or cannot be read.
    package static func load(path: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return parse(String(decoding: data, as: UTF8.self))
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var isAtEnd: Bool { index >= scalars.count }
        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func skipSpaces() {
            while let c = current, c == " " || c == "\t" { index += 1 }
        }

        mutating func skipRestOfLine() {
            while let c = current, c != "\n" { index += 1 }
            if current == "\n" { index += 1 }
        }

        /// Reads `[export ]KEY=VALUE` from the current position; nil for blank, comment or bad lines.
        mutating func assignment() -> (String, String)? {
            skipSpaces()
            var key = identifier()
            if key == "export", current == " " || current == "\t" {
                skipSpaces()
                key = identifier()
            }
            guard !key.isEmpty else { return nil }
            skipSpaces()
            guard current == "=" else { return nil }
            index += 1
            skipSpaces()
            switch current {
            case "\"": index += 1; return (key, doubleQuoted())
            case "'": index += 1; return (key, singleQuoted())
            default: return (key, unquoted())
            }
        }

        mutating func identifier() -> String {
            var name = String.UnicodeScalarView()
            while let c = current, c == "_" || c == "." || c == "-" || (c.isASCII && c.properties.isAlphabetic)
                    || ("0"..."9").contains(c) {
                name.append(c)
                index += 1
            }
            return String(name)
        }

        mutating func doubleQuoted() -> String {
            var value = String.UnicodeScalarView()
            while let c = current, c != "\"" {
                index += 1
                guard c == "\\", let next = current else { value.append(c); continue }
                index += 1
                switch next {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\"", "\\", "$": value.append(next)
                default: value.append(c); value.append(next)
                }
            }
            if current == "\"" { index += 1 }
            return String(value)
        }

        mutating func singleQuoted() -> String {
            var value = String.UnicodeScalarView()
            while let c = current, c != "'" { value.append(c); index += 1 }
            if current == "'" { index += 1 }
            return String(value)
        }

        /// Up to the end of the line or a ` #` comment, trailing whitespace removed.
        mutating func unquoted() -> String {
            var value = String.UnicodeScalarView()
            while let c = current, c != "\n" {
                if c == "#", value.isEmpty || value.last == " " || value.last == "\t" { break }
                value.append(c)
                index += 1
            }
            return String(value).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
