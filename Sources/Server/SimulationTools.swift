import Foundation
import MCP
import Planner
import Sandbox
import Simulator

/// The data and program parameters `simulate_strategy` and `estimate_cost` share.
enum SimulationInput {
    static let parameters = [
        ToolParameter("code", .string, "The Scheme program (or give pattern)."),
        ToolParameter("pattern", .string, "A pattern name from list_patterns, simulated with its defaults."),
        ToolParameter("items", .integer(minimum: 1), "Synthesise this many items as context (default: the loaded context)."),
        ToolParameter("item_chars", .integer(minimum: 1), "Characters per synthesised item (default 2000)."),
        ToolParameter("item_tokens", .integer(minimum: 1), "Tokens per synthesised item, exact (instead of item_chars)."),
        ToolParameter("model", .string, "Model for calls whose #:model is \"\"."),
        ToolParameter("max_concurrent", .integer(minimum: 1), "Calls in flight at once (as the real run)."),
        ToolParameter("seed", .integer(minimum: 0), "First run's seed (default 1); same seed, same report."),
        ToolParameter("error_rate", .number(minimum: 0), "Share of calls that fail transiently and are retried (0-1)."),
        ToolParameter("tier", .string, "The account's usage tier for rate limits (tier-1 … tier-5)."),
    ]

    /// The program and options the arguments describe.
    static func prepare(_ arguments: ToolArguments, tool: String, _ context: ToolContext) throws -> (code: String, name: String, options: SimulationOptions) {
        let code: String, name: String
        switch (arguments.string("code"), arguments.string("pattern")) {
        case (let c?, nil): code = c; name = "program"
        case (nil, let p?):
            let pattern = try ProjectFiles.pattern(p, tool: tool, argument: "pattern")
            code = pattern.source; name = "patterns/\(pattern.name).scm"
        case (.some, .some): throw ToolError("\(tool): give either 'code' or 'pattern', not both")
        case (nil, nil): throw ToolError("\(tool): missing argument 'code' (the program) or 'pattern' (a name from list_patterns)")
        }
        var options = try context.configuration.simulationOptions()
        if let model = arguments.string("model") {
            guard !model.isEmpty else { throw ToolError("\(tool): argument 'model' must not be empty") }
            options.defaultModel = model
        }
        if let n = arguments.int("max_concurrent") { options.maxInFlight = n }
        if let seed = arguments.int("seed") { options.seed = UInt64(seed) }
        if let rate = arguments.double("error_rate") {
            guard rate <= 1 else { throw ToolError("\(tool): argument 'error_rate' must be between 0 and 1, not \(rate)") }
            options.errorRate = rate
        }
        if let tier = arguments.string("tier") {
            guard options.behaviors.tierNames.contains(tier) else {
                throw ToolError("\(tool): argument 'tier' must be one of \(options.behaviors.tierNames.joined(separator: ", ")), not \(tier)")
            }
            options.tier = tier
        }
        if arguments.int("item_chars") != nil && arguments.int("item_tokens") != nil {
            throw ToolError("\(tool): give either 'item_chars' or 'item_tokens', not both")
        }
        if let items = arguments.int("items") {
            guard items <= 100_000 else { throw ToolError("\(tool): argument 'items' must be at most 100000, not \(items)") }
            options.dataShape = arguments.int("item_tokens").map { .itemTokens(count: items, tokens: $0) }
                ?? .items(count: items, chars: arguments.int("item_chars") ?? 2000)
        } else if arguments.int("item_chars") != nil || arguments.int("item_tokens") != nil {
            throw ToolError("\(tool): 'item_chars' and 'item_tokens' need 'items' (how many)")
        } else {
            options.context = context.host.loadedContext
        }
        return (code, name, options)
    }
}

/// `simulate_strategy`: the simulator's full report (Monte Carlo over seeds) without any real call.
enum SimulateStrategy: ServerTool {
    static let name = "simulate_strategy"
    static let description = "Dry-run a program or pattern against simulated models: calls, tokens, dollars, latency (p5/p50/p95), warnings. Free."
    static let parameters = SimulationInput.parameters + [
        ToolParameter("runs", .integer(minimum: 1), "Monte Carlo runs (default 10, at most 200)."),
    ]
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["runs": OutputSchema.integer, "status": OutputSchema.string, "warnings": OutputSchema.array(of: OutputSchema.string)],
        required: ["runs", "status"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        var (code, source, options) = try SimulationInput.prepare(arguments, tool: name, context)
        let runs = arguments.int("runs") ?? 10
        guard runs <= 200 else { throw ToolError("\(name): argument 'runs' must be at most 200, not \(runs)") }
        options.runs = runs
        let report = try await SimulationBridge.simulate(code, sourceName: source, options: options, context)
        return .data(try JSONValue.parse(try report.json()))
    }
}

/// `estimate_cost`: one quick simulated run, summarised.
enum EstimateCost: ServerTool {
    static let name = "estimate_cost"
    static let description = "Quick cost check of a program or pattern (one simulated run): calls, tokens, dollars, seconds."
    static let parameters = SimulationInput.parameters
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["calls": OutputSchema.number, "cost_usd": OutputSchema.number, "latency_s": OutputSchema.number,
         "input_tokens": OutputSchema.number, "output_tokens": OutputSchema.number, "status": OutputSchema.string,
         "warnings": OutputSchema.array(of: OutputSchema.string)],
        required: ["calls", "cost_usd", "latency_s", "status"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        var (code, source, options) = try SimulationInput.prepare(arguments, tool: name, context)
        options.runs = 1
        let report = try await SimulationBridge.simulate(code, sourceName: source, options: options, context)
        return .data(SimulationBridge.summary(report))
    }
}

/// The simulation library as the server uses it: cancellable with the tool call, runs done as
/// progress, invalid options as tool errors, and a summary for replies.
enum SimulationBridge {
    static func simulate(_ code: String, sourceName: String, options: SimulationOptions, _ context: ToolContext) async throws -> SimulationReport {
        let send = context.progress
        do {
            return try await Simulation.simulate(program: code, sourceName: sourceName, options: options) { p in
                guard let send, p.runsTotal > 1 else { return }
                Task { await send(Double(p.runsDone), Double(p.runsTotal), "simulated \(p.runsDone)/\(p.runsTotal) runs") }
            }
        } catch let error as SimulationError {
            throw ToolError("the simulation could not start: \(error)")
        }
    }

    /// The figures a caller decides on: p50 (and p95 over several runs), status, warnings.
    static func summary(_ report: SimulationReport) -> JSONValue {
        func round(_ d: Double, _ places: Double = 1e6) -> JSONValue { .double((d * places).rounded() / places) }
        var fields: [(String, JSONValue)] = [
            ("status", .string(report.runs.first?.status.rawValue ?? "ok")),
            ("calls", round(report.calls.p50, 10)),
            ("input_tokens", round(report.inputTokens.p50, 1)),
            ("output_tokens", round(report.outputTokens.p50, 1)),
            ("cost_usd", round(report.cost.p50)),
            ("latency_s", round(report.latency.p50, 100)),
        ]
        if report.runs.count > 1 {
            fields += [("runs", .int(report.runs.count)), ("cost_usd_p95", round(report.cost.p95)), ("latency_s_p95", round(report.latency.p95, 100))]
        }
        fields.append(("warnings", .array(report.warnings.map { .string($0.message) })))
        return .object(fields)
    }
}
