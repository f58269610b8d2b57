import Synchronization

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
    ///
    /// Every session splits the same few preludes, so the forms are kept per process (splitting
    /// them again was a quarter of a session's start, perf). Looking a prelude up compares its
    /// text, which costs nothing for the same static string.
    static func split(_ source: String) -> [Form] {
        if let forms = memo.withLock({ $0.first { $0.source == source }?.forms }) { return forms }
        let forms = splitUncached(source)
        memo.withLock { entries in
            if entries.count >= memoCapacity { entries.removeFirst() }
            entries.append((source, forms))
        }
        return forms
    }

    /// The preludes split so far (a handful; bounded so odd callers cannot grow it).
    private static let memo = Mutex<[(source: String, forms: [Form])]>([])
    private static let memoCapacity = 16

    private static func splitUncached(_ source: String) -> [Form] {
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

/// The bindings library code sees: the built-ins and the preludes' definitions, in cells of their
/// own. User code gets copies of these cells when the session starts, so `(define (list-ref l i)
/// (car l))`, `(set! map …)` or `(define-syntax if …)` change what user code sees and nothing else:
/// `race`, `llm-query` and every other procedure written in Scheme keep the built-in meanings.
final class SystemNamespace {
    var cells: [Symbol: GlobalCell] = [:]
    var syntaxBindings: [Symbol: SyntaxBinding] = [:]
    /// Set once the preludes are loaded and the user's namespace has been split off.
    var isSealed = false
}

extension Runtime {
    /// Makes the bindings defined so far (built-ins and eager prelude forms, whose code already
    /// refers to these cells) the system namespace, and gives the user a copy of each cell.
    func sealSystemNamespace() {
        system.cells = globals
        system.syntaxBindings = syntaxBindings
        var user: [Symbol: GlobalCell] = [:]
        user.reserveCapacity(globals.count)
        for (name, c) in globals {
            user[name] = GlobalCell(name: name, value: c.value, isProtected: c.isProtected, isBuiltin: c.isBuiltin)
        }
        globals = user
        system.isSealed = true
    }

    /// The system namespace's cell for `name` (the user's cell until the namespace is sealed).
    func systemCell(_ name: Symbol) -> GlobalCell {
        guard system.isSealed else { return cell(name) }
        if let c = system.cells[name] { return c }
        let c = GlobalCell(name: name, isBuiltin: true)
        system.cells[name] = c
        return c
    }

    /// The built-in value of `name`, whatever the user defined; nil when unbound.
    func systemGlobal(_ name: String) -> Value? {
        let c = systemCell(Symbol.intern(name))
        if c.value.isMissing && !loadLazyDefinition(c) { return nil }
        return c.value
    }

    /// Compiles a lazily loaded prelude procedure (against the system namespace), or instantiates
    /// it from the process's template when an earlier session compiled it (`PreludeTemplate`),
    /// and installs it in the system cell and, unless the user has defined the name meanwhile,
    /// the user's cell; false when `cell` has no lazy definition.
    func loadLazyDefinition(_ cell: GlobalCell) -> Bool {
        guard let source = lazyDefinitions.removeValue(forKey: cell.name), let host else { return false }
        do {
            let value: Value
            if let template = PreludeTemplate.lookup(source) {
                // Compiled in an earlier session; charged as compiling it was, so a program's
                // fuel does not depend on which session of the process first used a procedure.
                try burn(template.fuel)
                value = template.instantiate(in: self)
            } else {
                let before = fuelRemaining &- pendingFuel
                value = try host.compileProcedureDefinition(source)
                let spent = max(0, before &- (fuelRemaining &- pendingFuel))
                if case .closure(let c) = value, let template = PreludeTemplate(c, fuel: spent) {
                    PreludeTemplate.remember(source, template)
                }
            }
            let systemCell = systemCell(cell.name)
            if systemCell.value.isMissing { systemCell.value = value }
            if let user = globals[cell.name], user.value.isMissing { user.value = value }
            if cell.value.isMissing { cell.value = value }
            return true
        } catch {
            // The preludes are part of the binary and tested; report rather than crash.
            lazyFailures[cell.name.name] = "\(error)"
            return false
        }
    }
}
