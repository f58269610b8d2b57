import Foundation
import OrderedCollections

/// The Python bridge (reference §2.5): `py-exec`, `py-eval`, `py-call`, `py-set!`, each logged
/// in the scope log (§4.4) before it can fail.
///
/// The worker belongs to the runtime (one per evaluator, so `reset` gives fresh Python globals
/// and ref numbering) and is started on first use.
func registerPythonLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    let bridge = PythonBridge()
    PythonBridges.shared.set(bridge, for: rt)
    bridge.startupRequest = { [weak rt] in rt?.pythonContextRequest() }

    lib.fn1("py-exec") { code in
        let text = try code.asString("py-exec").string
        rt.log("py-exec", text)
        let reply = try rt.python("py-exec", bridge, op: "exec", [("code", quoted(text))])
        if case .string(let out)? = reply.get(.sym("stdout")) { return .string(MString(out.string)) }
        return .str("")
    }
    lib.fn1("py-eval") { expr in
        let text = try expr.asString("py-eval").string
        rt.log("py-eval", text)
        let reply = try rt.python("py-eval", bridge, op: "eval", [("expr", quoted(text))])
        return reply.get(.sym("value")) ?? .sym("null")
    }
    lib.fn("py-call", 2, nil) { args in
        let ref = args[0]
        let method = try args[1].asString("py-call").string
        rt.log("py-call", "\(Printer.display(ref, maxDepth: 50)).\(method)")
        let refText: String
        switch ref {
        case .string(let s): refText = quoted(s.string)
        case .symbol(let s): refText = quoted(s.name)
        default: refText = try jsonText(ref, "py-call")
        }
        var argTexts: [String] = []
        for i in 2..<args.count { argTexts.append(try jsonText(args[i], "py-call")) }
        let reply = try rt.python("py-call", bridge, op: "call", [
            ("ref", refText), ("method", quoted(method)), ("args", "[" + argTexts.joined(separator: ",") + "]"),
        ])
        return reply.get(.sym("value")) ?? .sym("null")
    }
    lib.fn2("py-set!") { name, value in
        let nameText: String
        switch name {
        case .string(let s): nameText = s.string
        case .symbol(let s): nameText = s.name
        default: throw SchemeError.contract("py-set!", expected: "string?", given: name)
        }
        let preview = String(Printer.display(value, maxDepth: 50).unicodeScalars.prefix(40).map(Character.init))
        rt.log("py-set!", "\(nameText) = \(preview)")
        let valueText = try jsonText(value, "py-set!")
        _ = try rt.python("py-set!", bridge, op: "set-var", [("name", quoted(nameText)), ("value", valueText)])
        return .void
    }
}

/// JSON string literal for `s`.
private func quoted(_ s: String) -> String {
    var out = ""
    JSONText.appendQuoted(s.unicodeScalars, to: &out)
    return out
}

/// The JSON text Racket's writer gives `v` (big integers keep every digit).
private func jsonText(_ v: Value, _ who: String) throws -> String {
    try JSONValue.convert(v, into: JSONTextBuilder(), who: who, sortKeys: false)
}

extension Runtime {
    /// Sends one request to the worker and returns its reply, or throws the §4.10 error for `who`.
    fileprivate func python(_ who: String, _ bridge: PythonBridge, op: String,
                            _ fields: [(String, String)]) throws -> HashTable {
        var json = "{\"op\":" + quoted(op)
        for (k, v) in fields { json += "," + quoted(k) + ":" + v }
        json += "}"
        try reserve(bytes: json.utf8.count * 2)
        let seconds = limits.pythonSeconds
        do {
            return try bridge.request(json, timeout: seconds)
        } catch {
            switch error {
            case .python(let message, let traceback):
                if let traceback { throw SchemeError(.python, "\(who): \(message)\n\(traceback)") }
                throw SchemeError(.python, "\(who): \(message)")
            case .timedOut:
                throw SchemeError(.python, "\(who): timed out after \(PythonBridges.seconds(seconds)) s (limit python-seconds); the Python worker was restarted and its variables are lost")
            case .died:
                throw SchemeError(.python, "py-bridge: Python subprocess died; the next Python call starts a fresh worker (its variables are lost)")
            case .unavailable(let why):
                throw SchemeError(.python, "\(who): Python is unavailable: \(why)")
            }
        }
    }

    /// Mirrors `context` (and `context_store[name]`) into the worker, if it is running (§2.4); a
    /// worker that starts later gets them from `pythonContextRequest`.
    func forwardContextToPython(_ data: String, name: String? = nil) {
        guard let bridge = PythonBridges.shared.bridge(for: self), bridge.isAlive else { return }
        var json = "{\"op\":\"set-context\",\"data\":" + quoted(data)
        if let name { json += ",\"name\":" + quoted(name) }
        bridge.requestIfRunning(json + "}", timeout: limits.pythonSeconds)
    }

    /// The request that gives a starting worker the session's `context` and named contexts;
    /// nil when neither was ever set.
    func pythonContextRequest() -> String? {
        var data = ""
        if case .string(let s) = cell(Symbol.intern("context")).value { data = s.string }
        var store: [(String, String)] = []
        for (key, value) in contextStore.storage {
            guard case .string(let k) = key.value, case .string(let v) = value else { continue }
            store.append((k.string, v.string))
        }
        if data.isEmpty && store.isEmpty { return nil }
        let storeJSON = store.map { quoted($0.0) + ":" + quoted($0.1) }.joined(separator: ",")
        return "{\"op\":\"set-context\",\"data\":" + quoted(data) + ",\"store\":{" + storeJSON + "}}"
    }

    /// Sets what this runtime's Python worker may touch (before it starts); `area` is the
    /// session's copy-on-write scratch area, shared across resets.
    func configurePython(reach: PythonReach, area: PythonDryRunArea?) {
        guard let bridge = PythonBridges.shared.bridge(for: self) else { return }
        bridge.reach = reach
        bridge.dryRunArea = area
    }

    /// A child sandbox's worker gets its parent's reach and scratch area.
    func inheritPython(from parent: Runtime) {
        guard let mine = PythonBridges.shared.bridge(for: self),
              let theirs = PythonBridges.shared.bridge(for: parent) else { return }
        mine.reach = theirs.reach
        mine.dryRunArea = theirs.dryRunArea
    }

    /// Whether this runtime's Python worker is alive.
    var pythonAvailable: Bool {
        PythonBridges.shared.bridge(for: self)?.isAlive ?? false
    }

    /// Kills this runtime's Python worker and forgets it (session reset or end).
    func shutdownPython() {
        PythonBridges.shared.remove(for: self)?.stop()
    }

    /// The worker's process id, for tests that simulate a crash.
    var pythonProcessIdentifier: Int32? {
        PythonBridges.shared.bridge(for: self)?.processIdentifier
    }
}

/// Each runtime's bridge. `Runtime` has no slot for it, and runtimes can outlive their session
/// (primitives capture them), so sessions call `shutdownPython()` explicitly.
final class PythonBridges: @unchecked Sendable {
    static let shared = PythonBridges()
    private let lock = NSLock()
    private var table: [ObjectIdentifier: PythonBridge] = [:]

    func set(_ b: PythonBridge, for rt: Runtime) {
        lock.lock(); defer { lock.unlock() }
        table[ObjectIdentifier(rt)]?.stop()
        table[ObjectIdentifier(rt)] = b
    }
    func bridge(for rt: Runtime) -> PythonBridge? {
        lock.lock(); defer { lock.unlock() }
        return table[ObjectIdentifier(rt)]
    }
    func remove(for rt: Runtime) -> PythonBridge? {
        lock.lock(); defer { lock.unlock() }
        return table.removeValue(forKey: ObjectIdentifier(rt))
    }

    /// `30` for whole seconds, else the shortest decimal.
    static func seconds(_ s: Double) -> String {
        s.isFinite && s == s.rounded() && abs(s) < 1e15 ? String(Int(s)) : String(s)
    }
}
