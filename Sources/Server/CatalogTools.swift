import Foundation
import MCP
import Sandbox
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
        let names = arguments.bool("all") == true ? options.catalog.models.map(\.name) : options.behaviors.behaviors.keys.sorted()
        func perMillion(_ v: Double?) -> JSONValue { v.map { .double(($0 * 1_000_000 * 1e6).rounded() / 1e6) } ?? .null }
        var models: [JSONValue] = []
        for name in names {
            let info = options.catalog.info(name)
            var fields: [(String, JSONValue)] = [("name", .string(name)),
                                                 ("input_usd_per_1m", perMillion(info?.inputCostPerToken)),
                                                 ("output_usd_per_1m", perMillion(info?.outputCostPerToken)),
                                                 ("max_input_tokens", info?.maxInputTokens.map { .int($0) } ?? .null),
                                                 ("max_output_tokens", info?.maxOutputTokens.map { .int($0) } ?? .null)]
            if let b = options.behaviors.behavior(name) {
                fields += [("ttft_s", .double(b.ttftSeconds)), ("output_tokens_per_s", .double(b.outputTokensPerSecond)),
                           ("typical_reply_tokens", .double(b.replyTokens)),
                           ("rpm", b.requestsPerMinute.map { .int($0) } ?? .null), ("tpm", b.tokensPerMinute.map { .int($0) } ?? .null)]
            }
            models.append(.object(fields))
        }
        let aliases = JSONValue.object(options.behaviors.aliases.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        return .data(.object([("models", .array(models)), ("aliases", aliases),
                              ("source", .string("prices and limits: embedded litellm snapshot (docs/data-sources.md); latency and rate limits: embedded tier-1 profile, then .rlm/calibration.json and $RLM_MODELS"))]))
    }
}

/// `list_patterns`: the strategy library in `patterns/`.
enum ListPatterns: ServerTool {
    static let name = "list_patterns"
    static let description = "The strategy patterns (name, purpose, combinators, outputs); get_pattern shows one's code."
    static let outputSchema: MCP.Value? = OutputSchema.object(["patterns": OutputSchema.array(of: OutputSchema.anyObject)], required: ["patterns"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let patterns = PatternFiles.all()
        guard !patterns.isEmpty else { throw ToolError("list_patterns: no patterns/ directory with .scm files was found (set RLM_PLAN_HOME to the rlm-plan checkout)") }
        return .data(.object([("patterns", .array(patterns.map { p in
            .object([("name", .string(p.name)), ("title", .string(p.title)), ("purpose", .string(p.purpose)),
                     ("combinators", .string(p.value("combinators") ?? "")), ("outputs", .string(p.value("outputs") ?? ""))])
        }))]))
    }
}

/// `get_pattern`: one pattern's header and runnable code.
enum GetPattern: ServerTool {
    static let name = "get_pattern"
    static let description = "One pattern's runnable Scheme code and its parameters (defaults), by name from list_patterns."
    static let parameters = [ToolParameter("name", .string, "Pattern name, e.g. fan-out.", required: true)]
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["name": OutputSchema.string, "header": OutputSchema.anyObject, "code": OutputSchema.string], required: ["name", "code"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let name = arguments.string("name") ?? ""
        guard let p = PatternFiles.named(name) else {
            let known = PatternFiles.all().map(\.name)
            throw ToolError("get_pattern: argument 'name': no pattern named '\(name)'"
                            + (known.isEmpty ? "; no patterns/ directory was found" : "; known: \(known.joined(separator: ", "))"))
        }
        var header: [(String, JSONValue)] = []
        var params: [JSONValue] = []
        for (key, value) in p.header {
            if key.hasPrefix("param ") { params.append(.string(String(key.dropFirst(6)) + ": " + value)) } else { header.append((key, .string(value))) }
        }
        header.append(("params", .array(params)))
        return .data(.object([("name", .string(p.name)), ("header", .object(header)), ("code", .string(p.source))]))
    }
}
