import Foundation
import MCP
import Sandbox
import Simulator

/// `execute_scheme`: runs code in the persistent sandbox, with progress, cancellation, a timeout
/// and an optional cost ceiling checked by simulation first (reference §5.1; issue 11).
enum ExecuteScheme: ServerTool {
    static let name = "execute_scheme"
    static let description = "Run Scheme in the persistent sandbox; model calls are real and cost money. Ends with (finish value). Simulate first."
    static let parameters = [
        ToolParameter("code", .string, "The program; definitions persist until reset.", required: true),
        ToolParameter("timeout", .integer(minimum: 1), "Seconds before the evaluation is interrupted (state stays)."),
        ToolParameter("max_cost", .number(minimum: 0), "Dollars: simulate first and refuse if the p95 cost is higher."),
    ]
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["status": ["type": "string", "enum": ["finished", "ok", "error", "refused"]],
         "value": OutputSchema.string, "value_json": [:], "message": OutputSchema.string, "stdout": OutputSchema.string,
         "execution": OutputSchema.object(["llm_calls": OutputSchema.integer, "models": OutputSchema.string,
                                           "max_call_latency": OutputSchema.number, "elapsed": OutputSchema.number,
                                           "tokens": OutputSchema.integer, "cost_usd": OutputSchema.number]),
         "estimate": OutputSchema.anyObject, "warnings": OutputSchema.array(of: OutputSchema.string)],
        required: ["status"])
    static let annotations = Tool.Annotations(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let code = arguments.string("code") ?? ""
        if let ceiling = arguments.double("max_cost"), let refusal = try await checkCost(code, ceiling: ceiling, context) {
            return refusal
        }
        let host = context.host
        let monitor = context.progress.map { send in Task { await ProgressReporter.run(host: host, send: send) } }
        defer { monitor?.cancel() }
        let outcome = try await host.evaluate(code, timeout: arguments.int("timeout").map(Double.init))
        try Task.checkCancellation()
        return try reply(outcome)
    }

    /// The original's reply (reference §5.1): `status`, `stdout`, `value` | `message`, `execution`;
    /// plus `value_json` (the finish value as JSON, when it is one) and `execution.cost_usd`.
    static func reply(_ outcome: EvaluationOutcome) throws -> ToolReply {
        guard let r = outcome.result else { throw CancellationError() }
        // An interrupt only reaches an evaluation through `timeout` or the client's cancellation
        // (which gets no reply), so `interrupted` here is a timeout: an error, state kept.
        let status = r.status == .interrupted ? "error" : r.status.rawValue
        var fields: [(String, JSONValue)] = [("status", .string(status))]
        if !r.stdout.isEmpty { fields.append(("stdout", .string(String(r.stdout.prefix(2000))))) }
        switch r.status {
        case .finished, .ok:
            if let value = r.value { fields.append(("value", .string(value))) }
            if let json = r.valueJSON { fields.append(("value_json", json)) }
        case .error:
            fields.append(("message", .string(r.error?.description ?? "evaluation failed")))
        case .interrupted:
            let seconds = outcome.timedOut.map { String(format: "%g", $0) } ?? "?"
            fields.append(("message", .string("execute_scheme: timed out after \(seconds) s and was interrupted; definitions made before stay")))
        }
        let t = outcome.tally
        var execution: [(String, JSONValue)] = [("llm_calls", .int(t.completed))]
        if t.completed > 0 {
            execution.append(("models", .string(t.modelsText)))
            execution.append(("max_call_latency", .double((t.maxLatency * 10).rounded() / 10)))
        }
        execution.append(("elapsed", .double((r.elapsedSeconds * 10).rounded() / 10)))
        let sessionTokens = outcome.sessionTokens
        if sessionTokens > 0 { execution.append(("tokens", .int(sessionTokens))) }
        if r.costUSD > 0 { execution.append(("cost_usd", .double((r.costUSD * 1e6).rounded() / 1e6))) }
        fields.append(("execution", .object(execution)))
        var reply = ToolReply.data(.object(fields))
        if status == "error" {
            reply.result = CallTool.Result(content: reply.result.content, structuredContent: reply.result.structuredContent, isError: true)
        }
        return reply
    }

    /// Simulates `code` (20 runs, the loaded context) and returns a refusal when p95 > `ceiling`.
    private static func checkCost(_ code: String, ceiling: Double, _ context: ToolContext) async throws -> ToolReply? {
        var options = try context.configuration.simulationOptions()
        options.runs = 20
        options.context = context.host.loadedContext
        let report = try await SimulationBridge.simulate(code, sourceName: "execute_scheme", options: options, context)
        let p95 = report.cost.p95
        guard p95 > ceiling else { return nil }
        let message = String(format: "not run: the simulated cost is $%.4f at p95 ($%.4f at p50, 20 runs), over max_cost $%.4f; nothing was sent",
                             p95, report.cost.p50, ceiling)
        return .data(.object([("status", .string("refused")), ("message", .string(message)),
                              ("estimate", SimulationBridge.summary(report))]))
    }
}

/// Progress notifications while an evaluation runs (reference §5.1's monitor, plus dollars):
/// on a change (at most 4 a second) and at least every 2 s while calls are in flight, so clients
/// with 60 s request timeouts stay alive. Nothing is sent before the first call is dispatched.
enum ProgressReporter {
    static func run(host: SandboxHost, send: @Sendable (Double, Double?, String) async -> Void) async {
        var lastVersion = -1
        var lastSent = Date.distantPast
        while !Task.isCancelled {
            let s = host.board.snapshot()
            let sinceLast = Date().timeIntervalSince(lastSent)
            let e = s.evaluation
            if s.evaluating, e.started > 0, (s.version != lastVersion && sinceLast >= 0.25) || sinceLast >= 2 {
                lastVersion = s.version
                lastSent = Date()
                await send(Double(e.finished + e.failed), Double(max(e.started, 1)), message(s, active: host.activeCalls()))
            }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// `"12/40 done — 5 active: 5×gpt-4o-mini — $0.0031 so far"`.
    static func message(_ s: CallBoardSnapshot, active: [ActiveCallSnapshot]) -> String {
        let e = s.evaluation
        var text = "\(e.finished + e.failed)/\(e.started) done"
        if !active.isEmpty {
            var counts: [(String, Int)] = []
            for call in active {
                if let i = counts.firstIndex(where: { $0.0 == call.model }) { counts[i].1 += 1 } else { counts.append((call.model, 1)) }
            }
            text += " — \(active.count) active: " + counts.sorted { $0.1 > $1.1 }.map { "\($0.1)×\($0.0)" }.joined(separator: ", ")
        }
        // Cheap models cost fractions of a cent per call: keep two significant digits visible.
        text += String(format: e.costUSD >= 0.01 || e.costUSD == 0 ? " — $%.4f so far" : " — $%.6f so far", e.costUSD)
        return text
    }
}
