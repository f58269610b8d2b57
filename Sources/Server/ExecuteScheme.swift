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
         "value": OutputSchema.string, "message": OutputSchema.string, "stdout": OutputSchema.string,
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
        let monitor = context.progress.map { send in Task { await ProgressReporter.run(board: host.board, send: send) } }
        defer { monitor?.cancel() }
        let outcome = try await host.evaluate(code, timeout: arguments.int("timeout").map(Double.init))
        try Task.checkCancellation()
        return reply(outcome)
    }

    /// The original's reply (reference §5.1): `status`, `stdout`, `value` | `message`, `execution`.
    static func reply(_ outcome: EvaluationOutcome) -> ToolReply {
        let r = outcome
        var fields: [(String, JSONValue)] = [("status", .string(r.status.rawValue))]
        if !r.stdout.isEmpty { fields.append(("stdout", .string(String(r.stdout.prefix(2000))))) }
        switch r.status {
        case .finished: fields.append(("value", .string(r.value)))
        case .error: fields.append(("message", .string(r.message ?? "evaluation failed")))
        case .ok: break
        }
        let t = outcome.tally
        var execution: [(String, JSONValue)] = [("llm_calls", .int(t.completed))]
        if t.completed > 0 {
            execution.append(("models", .string(t.modelsText)))
            execution.append(("max_call_latency", .double((t.maxLatency * 10).rounded() / 10)))
        }
        execution.append(("elapsed", .double((outcome.elapsed * 10).rounded() / 10)))
        if outcome.sessionTokens > 0 { execution.append(("tokens", .int(outcome.sessionTokens))) }
        if t.dollars > 0 { execution.append(("cost_usd", .double((t.dollars * 1e6).rounded() / 1e6))) }
        fields.append(("execution", .object(execution)))
        if r.status == .finished, t.completed == 0, outcome.elapsed > 1.0, t.dispatched > 0 {
            fields.append(("warnings", .array([.string("calls were dispatched but none completed; if the value looks stale, reset() and run again")])))
        }
        var reply = ToolReply.data(.object(fields))
        if r.status == .error { reply.result = CallTool.Result(content: reply.result.content, structuredContent: reply.result.structuredContent, isError: true) }
        return reply
    }

    /// Simulates `code` (20 runs, the loaded context) and returns a refusal when p95 > `ceiling`.
    private static func checkCost(_ code: String, ceiling: Double, _ context: ToolContext) async throws -> ToolReply? {
        var options = try context.configuration.simulationOptions()
        options.runs = 20
        options.context = context.host.loadedContext
        let report = try await SimulationBridge.simulate(code, sourceName: "execute_scheme", options: options)
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
    static func run(board: CallBoard, send: @Sendable (Double, Double?, String) async -> Void) async {
        var lastVersion = -1
        var lastSent = Date.distantPast
        while !Task.isCancelled {
            let s = board.snapshot()
            let sinceLast = Date().timeIntervalSince(lastSent)
            if s.tally.dispatched > 0, (s.version != lastVersion && sinceLast >= 0.25) || sinceLast >= 2 {
                lastVersion = s.version
                lastSent = Date()
                await send(Double(s.tally.completed + s.tally.failed), Double(max(s.tally.dispatched, 1)), message(s))
            }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// `"12/40 done — 5 active: 5×gpt-4o-mini — $0.0031 so far"`.
    static func message(_ s: CallBoardSnapshot) -> String {
        var text = "\(s.tally.completed + s.tally.failed)/\(s.tally.dispatched) done"
        if !s.active.isEmpty {
            var counts: [(String, Int)] = []
            for call in s.active {
                if let i = counts.firstIndex(where: { $0.0 == call.record.model }) { counts[i].1 += 1 } else { counts.append((call.record.model, 1)) }
            }
            text += " — \(s.active.count) active: " + counts.sorted { $0.1 > $1.1 }.map { "\($0.1)×\($0.0)" }.joined(separator: ", ")
        }
        text += String(format: " — $%.4f so far", s.tally.dollars)
        return text
    }
}
