import Foundation
import MCP
import Planner
import Sandbox
import Simulator

/// The planner's arguments, with the original's names (reference §5.1, §5.2) and, new here,
/// `priority` and `scale` as enums.
enum PlanArguments {
    static let task = ToolParameter("task_description", .string, "What to do, e.g. \"Extract the methods of 200 papers\".", required: true)
    static let data = ToolParameter("data_characteristics", .string, "Shape of the data, e.g. \"~5KB per paper, 1MB total\" (the loaded context is profiled when given).")
    static let constraints = ToolParameter("constraints", .string, "Limits, e.g. \"under $2, within 5 minutes\".")
    static let priority = ToolParameter("priority", .oneOf(["speed", "cost", "quality", "balanced"]), "What to optimise (default balanced).")
    static let scale = ToolParameter("scale", .oneOf(["minimal", "small", "medium", "large", "comprehensive"]), "How many outputs: minimal 5-10 … comprehensive = every item.")
    static let minOutputs = ToolParameter("min_outputs", .integer(minimum: 1), "Fewest outputs acceptable.")
    static let coverage = ToolParameter("coverage_target", .string, "e.g. \"all files\" or \"80%\".")

    static let all = [task, data, constraints, priority, scale, minOutputs, coverage]

    static func request(_ a: ToolArguments, _ context: ToolContext) -> PlanRequest {
        PlanRequest(taskDescription: a.string("task_description") ?? "", dataCharacteristics: a.string("data_characteristics"),
                    constraints: a.string("constraints"), priority: a.string("priority"), scale: a.string("scale"),
                    minOutputs: a.int("min_outputs"), coverageTarget: a.string("coverage_target"),
                    context: context.host.loadedContext)
    }

    /// Planner options from the server's registry, reporting progress when the client asked for it.
    static func options(_ context: ToolContext) throws -> PlanOptions {
        let simulation = try context.configuration.simulationOptions()
        var options = PlanOptions()
        options.registry = .loaded(ModelRegistry(catalog: simulation.catalog, behaviors: simulation.behaviors))
        if let send = context.progress {
            options.progress = { p in Task { await send(Double(p.done), Double(p.total), "simulating \(p.current)") } }
        }
        return options
    }

    /// Runs a planner call, turning its errors into tool errors that say what was wrong.
    static func run(_ tool: String, _ work: () async throws -> String) async throws -> ToolReply {
        do {
            return .data(try JSONValue.parse(try await work()))
        } catch let error as PlannerError {
            throw ToolError("\(tool): \(error.description)")
        }
    }

    static let planSchema = OutputSchema.object(
        ["recommended": ["type": ["object", "null"]], "alternatives": OutputSchema.array(of: OutputSchema.anyObject),
         "creative_options": OutputSchema.array(of: OutputSchema.anyObject), "_meta": OutputSchema.anyObject])
}

/// `plan_strategy`: ranked strategies with simulated estimates (reference §6, our planner).
enum PlanStrategy: ServerTool {
    static let name = "plan_strategy"
    static let description = "Plan a strategy for a task: ranked, runnable Scheme templates with simulated cost, latency and outputs. No model is called."
    static let parameters = PlanArguments.all
    static let outputSchema: MCP.Value? = PlanArguments.planSchema
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let request = PlanArguments.request(arguments, context)
        let options = try PlanArguments.options(context)
        return try await PlanArguments.run(name) { try await Planner.plan(request, options: options).json() }
    }
}

/// `plan_strategy_clarify`: what to ask before planning (reference §5.2).
enum PlanStrategyClarify: ServerTool {
    static let name = "plan_strategy_clarify"
    static let description = "Before planning a vague task: the ambiguities that change the plan, with questions and the defaults assumed."
    static let parameters = [PlanArguments.task, PlanArguments.data, PlanArguments.constraints, PlanArguments.priority]
    static let outputSchema: MCP.Value? = OutputSchema.object(["is_clear": OutputSchema.boolean])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let request = PlanArguments.request(arguments, context)
        let options = try PlanArguments.options(context)
        return try await PlanArguments.run(name) { try await Planner.clarify(request, options: options).json() }
    }
}

/// `plan_strategy_finalize`: the plan with the user's answers folded in (reference §5.2).
enum PlanStrategyFinalize: ServerTool {
    static let name = "plan_strategy_finalize"
    static let description = "Plan with the answers to plan_strategy_clarify's questions (free text or key: value lines)."
    static let parameters = [PlanArguments.task,
                             ToolParameter("clarifications", .string, "The answers, e.g. \"500 Python files, all files\".", required: true)]
        + PlanArguments.all.dropFirst()
    static let outputSchema: MCP.Value? = PlanArguments.planSchema
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let request = PlanArguments.request(arguments, context)
        let clarifications = arguments.string("clarifications") ?? ""
        let options = try PlanArguments.options(context)
        return try await PlanArguments.run(name) { try await Planner.finalize(request, clarifications: clarifications, options: options).json() }
    }
}
