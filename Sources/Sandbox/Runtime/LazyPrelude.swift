/// Loads the Scheme preludes lazily: each `(define (name …) …)` is compiled the first time `name`
/// is used, instead of at start-up.
///
/// Compiling the whole prelude took most of a cold start (about 8 of 24 ms, perf); most programs
/// use a handful of its procedures. Forms that are not procedure definitions, and definitions
/// that replace an existing binding, still run eagerly.
struct PreludeSplitter {
    /// One top-level form of a prelude: its text, and the name it defines when it is `(define (name …`.
    struct Form {
        let text: Substring
        let procedureName: String?
    }

    /// Splits source text into top-level forms by bracket balance (strings, characters and
    /// comments aware). The reader still checks each form when it is compiled.
    static func split(_ source: String) -> [Form] {
        var forms: [Form] = []
        let chars = Array(source.utf8)
        var i = 0
        var depth = 0
        var start = -1
        func substring(_ a: Int, _ b: Int) -> Substring {
            let sa = source.utf8.index(source.utf8.startIndex, offsetBy: a)
            let sb = source.utf8.index(source.utf8.startIndex, offsetBy: b)
            return source[sa..<sb]
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case UInt8(ascii: ";"):
                while i < chars.count && chars[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "\""):
                i += 1
                while i < chars.count && chars[i] != UInt8(ascii: "\"") {
                    if chars[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
            case UInt8(ascii: "#") where i + 1 < chars.count && chars[i + 1] == UInt8(ascii: "\\"):
                i += 2
            case UInt8(ascii: "("), UInt8(ascii: "["):
                if depth == 0 { start = i }
                depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 && start >= 0 {
                    let text = substring(start, i + 1)
                    forms.append(Form(text: text, procedureName: definedProcedure(text)))
                    start = -1
                }
            default:
                break
            }
            i += 1
        }
        return forms
    }

    /// `name` for a form starting `(define (name`.
    private static func definedProcedure(_ text: Substring) -> String? {
        guard text.hasPrefix("(define (") else { return nil }
        let rest = text.dropFirst("(define (".count)
        let name = rest.prefix { !$0.isWhitespace && $0 != ")" }
        return name.isEmpty ? nil : String(name)
    }
}

extension Runtime {
    /// Compiles and installs a lazily loaded prelude procedure; false when `cell` has none.
    func loadLazyDefinition(_ cell: GlobalCell) -> Bool {
        guard let source = lazyDefinitions.removeValue(forKey: cell.name), let compile = compileDefinition else { return false }
        do {
            cell.value = try compile(source)
            return true
        } catch {
            // The preludes are part of the binary and tested; report rather than crash.
            lazyFailures[cell.name.name] = "\(error)"
            return false
        }
    }
}
