import Foundation
import Testing
@testable import Sandbox

/// Calls the number library's primitives from Swift, without the compiler or VM.
///
/// `eval("(expt 2 100)")` reads a call whose arguments are numbers, strings, quoted data, keywords
/// or nested calls, applies the primitives and renders the result as Racket's `~s` would (errors
/// as `ERR <message>`), so expected strings can be copied from Racket's output.
final class NumberHarness {
    let runtime: Runtime

    init(seed: UInt64 = 42) {
        runtime = Runtime(limits: Limits(), seed: seed)
        runtime.fuelRemaining = .max
        registerNumberLibrary(LibraryBuilder(runtime: runtime))
    }

    /// Applies the primitive bound to `name`, checking its arity as the VM would.
    func call(_ name: String, _ args: [Value], keywords: KeywordArguments = [:]) throws -> Value {
        guard case .primitive(let p)? = runtime.global(name) else {
            throw SchemeError.unbound(name)
        }
        if args.count < p.minArgs || args.count > (p.maxArgs ?? .max) {
            throw SchemeError.arity(p.name, expected: p.arityDescription, given: args.count)
        }
        return try p.call(args, keywords: keywords)
    }

    /// Evaluates one expression and renders the result (or `ERR message`).
    func eval(_ source: String) -> String {
        var parser = MiniReader(Array(source))
        do {
            let form = try parser.read()
            return render(try evaluate(form))
        } catch let e as SchemeError {
            return "ERR " + e.message
        } catch {
            return "ERR \(error)"
        }
    }

    private func evaluate(_ form: MiniReader.Form) throws -> Value {
        switch form {
        case .atom(let v): return v
        case .symbol(let name):
            guard let v = runtime.global(name) else { throw SchemeError.unbound(name) }
            return v
        case .quoted(let v): return v
        case .call(let name, let items):
            var args: [Value] = []
            var keywords: KeywordArguments = [:]
            var i = 0
            while i < items.count {
                if case .atom(.keyword(let k)) = items[i], i + 1 < items.count {
                    keywords[k] = try evaluate(items[i + 1])
                    i += 2
                } else {
                    args.append(try evaluate(items[i]))
                    i += 1
                }
            }
            return try call(name, args, keywords: keywords)
        }
    }

    /// `~s` rendering of the values these tests produce.
    func render(_ v: Value) -> String {
        if Arithmetic.isNumber(v) { return NumberFormat.render(v) }
        switch v {
        case .bool(let b): return b ? "#t" : "#f"
        case .void: return "#<void>"
        case .symbol(let s): return s.name
        case .string(let s):
            return "\"" + s.string.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        default: return Printer.write(v)
        }
    }
}

/// Just enough of a reader for `NumberHarness.eval`.
struct MiniReader {
    indirect enum Form {
        case atom(Value)
        case symbol(String)
        case quoted(Value)
        case call(String, [Form])
    }

    private let chars: [Character]
    private var i = 0
    init(_ chars: [Character]) { self.chars = chars }

    mutating func read() throws -> Form {
        skipSpace()
        guard i < chars.count else { throw SchemeError.fail("read", "unexpected end") }
        switch chars[i] {
        case "(":
            i += 1
            skipSpace()
            guard case .symbol(let head) = try read() else { throw SchemeError.fail("read", "bad head") }
            var items: [Form] = []
            while true {
                skipSpace()
                guard i < chars.count else { throw SchemeError.fail("read", "missing )") }
                if chars[i] == ")" { i += 1; break }
                items.append(try read())
            }
            return .call(head, items)
        case "'":
            i += 1
            return .quoted(try datum())
        case "\"":
            return .atom(try string())
        default:
            let token = atom()
            if token == "#t" { return .atom(.true) }
            if token == "#f" { return .atom(.false) }
            if token.hasPrefix("#:") { return .atom(.keyword(Symbol.intern(String(token.dropFirst(2))))) }
            if let n = NumberFormat.parse(token) { return .atom(n) }
            return .symbol(token)
        }
    }

    private mutating func datum() throws -> Value {
        skipSpace()
        if i < chars.count && chars[i] == "(" {
            i += 1
            var items: [Value] = []
            while true {
                skipSpace()
                guard i < chars.count else { throw SchemeError.fail("read", "missing )") }
                if chars[i] == ")" { i += 1; break }
                items.append(try datum())
            }
            return .list(items)
        }
        let token = atom()
        return NumberFormat.parse(token) ?? .sym(token)
    }

    private mutating func string() throws -> Value {
        i += 1
        var s = ""
        while i < chars.count && chars[i] != "\"" {
            if chars[i] == "\\" { i += 1 }
            if i < chars.count { s.append(chars[i]) }
            i += 1
        }
        i += 1
        return .str(s)
    }

    private mutating func atom() -> String {
        let start = i
        while i < chars.count, !chars[i].isWhitespace, chars[i] != "(", chars[i] != ")" { i += 1 }
        return String(chars[start..<i])
    }

    private mutating func skipSpace() {
        while i < chars.count && chars[i].isWhitespace { i += 1 }
    }
}
