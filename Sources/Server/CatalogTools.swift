import Foundation
import MCP
import Sandbox
import Planner
import Simulator

/// `list_models`: the registry the simulator and the budgets use (prices, limits, latency profile).
enum ListModels: ServerTool {
    static let name = "list_models"
    static let description = "Models with prices ($ per 1M tokens), context/output limits, latency profile, rate limits and aliases."
    static let parameters = [
        ToolParameter("all", .boolean, "Every priced model, not only those with a latency profile (default false)."),
    ]
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["models": OutputSchema.array(of: OutputSchema.anyObject), "aliases": OutputSchema.anyObject,
         "source": OutputSchema.string], required: ["models", "aliases"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let options = try context.configuration.simulationOptions()
        let names = ModelListing.names(catalog: options.catalog, behaviors: options.behaviors, all: arguments.bool("all") == true)
        func perMillion(_ v: Double?) -> JSONValue { v.map { .double(($0 * 1_000_000 * 1e6).rounded() / 1e6) } ?? .null }
        var models: [JSONValue] = []
        for name in names {
            let m = ModelListing.figures(name, catalog: options.catalog, behaviors: options.behaviors, rateLimits: options.rateLimits)
            var fields: [(String, JSONValue)] = [("name", .string(name)),
                                                 ("input_usd_per_1m", perMillion(m.inputCostPerToken)),
                                                 ("output_usd_per_1m", perMillion(m.outputCostPerToken)),
                                                 ("max_input_tokens", m.maxInputTokens.map { .int($0) } ?? .null),
                                                 ("max_output_tokens", m.maxOutputTokens.map { .int($0) } ?? .null)]
            if let b = m.behavior {
                fields += [("ttft_s", .double(b.ttftSeconds)), ("output_tokens_per_s", .double(b.outputTokensPerSecond)),
                           ("typical_reply_tokens", .double(b.replyTokens))]
            }
            // The limits a run against the configured provider paces by (none for a local server).
            fields += [("rpm", m.rateLimit.rpm.map { .int($0) } ?? .null), ("tpm", m.rateLimit.tpm.map { .int($0) } ?? .null),
                       ("rate_limit_source", .string(m.rateLimit.source)), ("tokenizer", .string(m.tokenizer))]
            models.append(.object(fields))
        }
        let aliases = JSONValue.object(options.behaviors.aliases.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        return .data(.object([("models", .array(models)), ("aliases", aliases),
                              ("source", .string("prices and context limits: embedded litellm snapshot (docs/data-sources.md), then .rlm/calibration.json and $RLM_MODELS; latency: embedded profile, then the same; rate limits: as rate_limit_source says for each model"))]))
    }
}

/// `list_patterns`: the strategy library in `patterns/`.
enum ListPatterns: ServerTool {
    static let name = "list_patterns"
    static let description = "The strategy patterns (name, purpose, combinators, outputs, quality); get_pattern shows one's code."
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["patterns": OutputSchema.array(of: OutputSchema.anyObject), "problems": OutputSchema.array(of: OutputSchema.string)],
        required: ["patterns"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let library = try ProjectFiles.patterns()
        let patterns: [JSONValue] = library.list().map { p in
            .object([("name", .string(p.name)), ("title", .string(p.title)), ("purpose", .string(p.purpose)),
                     ("combinators", .array(p.combinators.map { .string($0) })), ("kinds", .array(p.kinds.map { .string($0) })),
                     ("outputs", .string(p.outputs.rawValue)), ("quality", .double(p.quality)), ("fits", .string(p.fits)),
                     ("avoid", .string(p.avoid))])
        }
        var fields: [(String, JSONValue)] = [("patterns", .array(patterns))]
        if !library.problems.isEmpty { fields.append(("problems", .array(library.problems.map { .string($0) }))) }
        return .data(.object(fields))
    }
}

/// `get_pattern`: one pattern's header and runnable code.
enum GetPattern: ServerTool {
    static let name = "get_pattern"
    static let description = "One pattern's runnable Scheme code and its parameters (defaults), by name from list_patterns."
    static let parameters = [ToolParameter("name", .string, "Pattern name, e.g. fan-out.", required: true)]
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["name": OutputSchema.string, "parameters": OutputSchema.array(of: OutputSchema.anyObject), "code": OutputSchema.string],
        required: ["name", "code"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let pattern = try ProjectFiles.pattern(arguments.string("name") ?? "", tool: name, argument: "name")
        // The planner's own encoding of a pattern (header fields, parameters) plus its code.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard case .object(var fields) = try JSONValue.parse(String(decoding: try encoder.encode(pattern), as: UTF8.self)) else {
            throw ToolError("get_pattern: the pattern \(pattern.name) could not be encoded")
        }
        fields.removeAll { $0.0 == "source" || $0.0 == "code" }
        fields.append(("code", .string(pattern.source)))
        return .data(.object(fields))
    }
}
