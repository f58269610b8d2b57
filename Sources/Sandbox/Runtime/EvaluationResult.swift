import Foundation

/// What one evaluation did, for hosts (`SandboxSession.evaluate`): its outcome, what it printed,
/// and the model calls, tokens and dollars of this evaluation alone.
public struct EvaluationResult: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Every form ran; no `finish`.
        case ok
        /// `finish` ended the program.
        case finished
        /// An error (Scheme, `finish-error`, a resource limit) ended it.
        case error
        /// The host interrupted it (`SandboxSession.interrupt()`); `error` says so.
        case interrupted
    }
    public var status: Status
    /// `finish`'s value with display semantics; for `ok`, the last form's value as the REPL
    /// prints it (nil when it is void or there is none).
    public var value: String?
    /// The same value as JSON when it is a jsexpr (hash with symbol keys, list, string, number,
    /// boolean, `'null`), else nil.
    public var valueJSON: JSONValue?
    /// What the program printed (empty after an error, as the original drops it).
    public var stdout: String
    public var error: EvaluationError?
    /// Model calls made by this evaluation that settled, failed and cancelled ones included.
    public var calls: Int
    /// Calls that failed or were cancelled.
    public var failedCalls: Int
    /// Calls served from the response cache or replayed from the run journal (free).
    public var cachedCalls: Int
    public var replayedCalls: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// Dollars of this evaluation's calls whose prices are known.
    public var costUSD: Double
    /// Calls whose model has no known price (not in `costUSD`).
    public var unpricedCalls: Int
    /// Per model, in the order first used.
    public var byModel: [ModelUsage]
    /// Seconds from the start of the evaluation to its end.
    public var elapsedSeconds: Double

    /// The models this evaluation called.
    public var models: [String] { byModel.map(\.model) }
}

/// Why an evaluation failed, with where.
public struct EvaluationError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// The `SchemeError` code: `interrupted`, `fuel`, `time`, `llm`, `user`, `syntax`, …
    public var code: String
    public var message: String
    public var line: Int?
    public var column: Int?
    public var source: String?

    /// `source:line:column: message` when the position is known, as the CLI prints it.
    public var description: String {
        guard let line, let column else { return message }
        let position = SourcePosition(line: line, column: column, source: source)
        return message.hasPrefix(position.description) ? message : "\(position): \(message)"
    }

    init(_ e: SchemeError) {
        code = e.code.description
        message = e.message
        line = e.position?.line
        column = e.position?.column
        source = e.position?.source
    }
}

/// One model's share of an evaluation's calls.
public struct ModelUsage: Sendable, Codable, Equatable {
    public var model: String
    public var calls: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var costUSD: Double
}

extension EvaluationResult {
    /// Builds the result of `result` from the calls recorded since the evaluation began.
    init(_ result: EvalResult, records: ArraySlice<CallRecord>, printDepth: Int, elapsed: Double) {
        let interrupted = result.error?.code == .interrupted
        switch result.status {
        case .ok: status = .ok
        case .finished: status = .finished
        case .error: status = interrupted ? .interrupted : .error
        }
        switch result.status {
        case .finished: value = result.result
        case .ok: value = result.printedValue
        case .error: value = nil
        }
        valueJSON = nil
        if result.status != .error, let v = result.value, EvaluationResult.isJSONCandidate(v) {
            valueJSON = try? JSONValue.convert(v, into: JSONValueBuilder(), who: "evaluate", sortKeys: false, null: nil,
                                               maxDepth: printDepth)
        }
        stdout = result.stdout
        error = result.error.map(EvaluationError.init)
        calls = records.count
        failedCalls = records.count { $0.status == "error" || $0.status == "cancelled" }
        cachedCalls = records.count { $0.status == "cached" }
        replayedCalls = records.count { $0.status == "replayed" }
        var byModel: [ModelUsage] = []
        var index: [String: Int] = [:]
        var unpriced = 0
        for r in records {
            if r.cost == nil && (r.status == "ok") { unpriced += 1 }
            let i: Int
            if let known = index[r.model] { i = known } else {
                i = byModel.count
                index[r.model] = i
                byModel.append(ModelUsage(model: r.model, calls: 0, inputTokens: 0, outputTokens: 0, costUSD: 0))
            }
            byModel[i].calls += 1
            byModel[i].inputTokens += r.promptTokens
            byModel[i].outputTokens += r.completionTokens
            byModel[i].costUSD += r.cost ?? 0
        }
        self.byModel = byModel
        unpricedCalls = unpriced
        inputTokens = byModel.reduce(0) { $0 + $1.inputTokens }
        outputTokens = byModel.reduce(0) { $0 + $1.outputTokens }
        costUSD = byModel.reduce(0) { $0 + $1.costUSD }
        elapsedSeconds = elapsed
    }

    /// Void and procedures are never JSON; skip the conversion for them.
    private static func isJSONCandidate(_ v: Value) -> Bool {
        if case .void = v { return false }
        return !v.isProcedure
    }
}
