/// The bookkeeping of callback-mode `map-async` (reference §2.1a). The loop that applies the
/// user's procedure is Scheme (`PreludeCallback`); windows, ids, results and the wire live here.
///
/// With n items and window w: when w is #f or n ≤ w, every item is launched, the first value is
/// checked, and one `await-batch` collects them. Otherwise the first w are launched, then each
/// `await-any` (on the previous reply's `remaining_ids`, then the newly launched id) completes one
/// item, a heartbeat follows the k-th completion when k = n or k mod max(10, n div 10) = 0, and
/// the next item is launched. Unlike the original (§10.1), each result is stored at the index of
/// the id that actually completed, so results are in input order whatever the completion order.
final class CallbackMapState: SchemeObject, @unchecked Sendable {
    let items: [Value]
    /// Launched handles not yet completed, in the order the next `await-any` sends them.
    var active: [Value] = []
    /// The index of the item each handle id was launched for.
    var indexOf: [String: Int] = [:]
    var results: [Value]
    /// Items launched so far.
    var next = 0
    var completed = 0
    /// True for the pipelined path (a window smaller than the number of items).
    let windowed: Bool
    /// Items launched before the first wait.
    let initialCount: Int

    init(items: [Value], window: Int?) {
        self.items = items
        results = Array(repeating: .false, count: items.count)
        windowed = window.map { items.count > $0 } ?? false
        initialCount = windowed ? (window ?? items.count) : items.count
    }

    override var typeName: String { "map-async-state" }
}

extension CallbackModels {
    func registerMapAsync(_ lib: LibraryBuilder) {
        let runtime = self.runtime
        func state(_ v: Value) throws -> CallbackMapState {
            guard case .object(let o) = v, let s = o as? CallbackMapState else {
                throw SchemeError.contract("map-async", expected: "map-async state", given: v)
            }
            return s
        }

        // (%cb-map-model model) → the model calls in this map-async send when theirs is "".
        lib.fn1("%cb-map-model") { m in
            let model = try m.asString("map-async").string
            return model.isEmpty ? runtime.parameterValue(runtime.models.modelOverride) : m
        }
        lib.fn2("%cb-map-start") { items, window in
            guard let list = items.listToArray() else { throw SchemeError.contract("map-async", expected: "list?", given: items) }
            var size: Int?
            if window.isTrue {
                guard case .int(let w) = window, w > 0 else {
                    throw SchemeError.contract("map-async", expected: "(or/c #f exact-positive-integer?) for #:max-concurrent", given: window)
                }
                size = w
            }
            return .object(CallbackMapState(items: list, window: size))
        }
        lib.fn1("%cb-map-launching?") { s in
            let s = try state(s)
            return .bool(s.next < s.initialCount)
        }
        lib.fn1("%cb-map-next-item") { s in
            let s = try state(s)
            guard s.next < s.items.count else { throw SchemeError(.internal, "map-async: no item left to launch") }
            defer { s.next += 1 }
            return s.items[s.next]
        }
        // (%cb-map-launched state value) records what `fn` returned for the item just taken.
        lib.fn2("%cb-map-launched") { s, h in
            let s = try state(s)
            if let id = asyncHandleID(h) { s.indexOf[id] = s.next - 1 }
            s.active.append(h)
            return .void
        }
        lib.fn1("%cb-map-check-first") { s in
            let s = try state(s)
            if let first = s.active.first, asyncHandleID(first) == nil {
                throw SchemeError(.user, "map-async: lambda must return an async handle from llm-query-async, not a sync result from llm-query. Use (llm-query-async ...) inside your lambda, not (llm-query ...)")
            }
            return .void
        }
        lib.fn1("%cb-map-windowed?") { s in .bool(try state(s).windowed) }
        lib.fn1("%cb-map-active?") { s in .bool(!(try state(s).active.isEmpty)) }
        lib.fn1("%cb-map-await-all") { s in try awaitBatch(.list(try state(s).active), who: "await-all", syntax: false) }
        // One completion of the pipelined path; true when an item is left to launch.
        lib.fn1("%cb-map-await-any") { s in
            let s = try state(s)
            let ids = try s.active.map { h in
                guard let id = asyncHandleID(h) else { throw SchemeError(.user, "await-any: expected async handles") }
                return id
            }
            let done = try awaitAny(ids)
            // An id the host made up falls back to the original's placement (first active).
            if let index = s.indexOf[done.id] ?? ids.first.flatMap({ s.indexOf[$0] }) {
                s.results[index] = .str(done.text)
            }
            s.active = done.remaining.map(Self.handle)
            s.completed += 1
            let n = s.items.count
            if s.completed == n || s.completed % max(10, n / 10) == 0 {
                progress("map-async: \(s.completed)/\(n) completed\n")
                _ = try channel.exchangeLine("heartbeat")
            }
            return .bool(s.next < n)
        }
        lib.fn1("%cb-map-results") { s in .list(try state(s).results) }
    }

    /// Writes to the sandbox's error port, which is captured and never shown (§2.8, §10.18).
    private func progress(_ line: String) {
        if case .object(let port as OutputPort) = runtime.parameterValue(runtime.errorParameter) {
            try? port.write(line)
        }
    }
}
