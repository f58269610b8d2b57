import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// `rlm-plan models`: the one registry `run` and `simulate` use, and where each figure comes from.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the registry knows: prices, limits, latency profile, aliases.",
        discussion: """
            Each model's figures come from the embedded snapshot (litellm's prices, the simulator's \
            latency priors), calibration (.rlm/calibration.json, written by `rlm-plan calibrate`) or \
            the models file (--models, $RLM_MODELS, $RLM_MODELS_FILE); rate limits from \
            --rpm/--tpm or RLM_RPM/RLM_TPM, the models file, observed limits, then the tier. \
            Every row says which.
            """
    )

    @Option(name: .customLong("models"), help: ArgumentHelp("Overrides and additions (default: $RLM_MODELS, else $RLM_MODELS_FILE).", valueName: "FILE"))
    var models: String?

    @Option(name: .customLong("tier"), help: ArgumentHelp("The account's usage tier for rate limits (default: $RLM_TIER).", valueName: "T"))
    var tier: String?

    @Flag(name: .customLong("all"), help: "Every priced model, not only those with a latency profile.")
    var all = false

    @Flag(name: .customLong("json"), help: "One JSON object keyed by model name.")
    var json = false

    func run() throws {
        let registry = try WorldSetup.registry(models: models)
        let baseURL = (try? OpenAIConfiguration.fromEnvironment())?.baseURL ?? OpenAIConfiguration.defaultBaseURL
        let limits = try WorldSetup.rateLimits(registry: registry, baseURL: baseURL, tier: tier, rpm: nil, tpm: nil)
        let names = ModelListing.names(catalog: registry.catalog, behaviors: registry.behaviors, all: all,
                                       alsoListed: registry.userFileModels.union(registry.calibratedModels))
        let listed = names.map { ModelListing.figures($0, catalog: registry.catalog, behaviors: registry.behaviors, rateLimits: limits) }
        if json {
            var entries: [(String, JSONValue)] = []
            for m in listed {
                let sources = registry.sources(m.name)
                var fields: [(String, JSONValue)] = []
                if let v = m.inputCostPerToken { fields.append(("input_cost_per_token", .double(v))) }
                if let v = m.outputCostPerToken { fields.append(("output_cost_per_token", .double(v))) }
                if let v = m.maxInputTokens { fields.append(("max_input_tokens", .int(v))) }
                if let v = m.maxOutputTokens { fields.append(("max_output_tokens", .int(v))) }
                if let b = m.behavior {
                    fields += [("ttft_s", .double(b.ttftSeconds)), ("output_tokens_per_s", .double(b.outputTokensPerSecond)),
                               ("reply_tokens", .double(b.replyTokens))]
                    if let e = b.errorRate { fields.append(("error_rate", .double(e))) }
                }
                if let r = m.rateLimit.rpm { fields.append(("rpm", .int(r))) }
                if let t = m.rateLimit.tpm { fields.append(("tpm", .int(t))) }
                fields.append(("tokenizer", .string(m.tokenizer)))
                fields.append(("sources", .object([("price", .string(sources.price)), ("behavior", .string(sources.behavior)),
                                                   ("rate_limits", .string(m.rateLimit.source))])))
                let name = m.name
                entries.append((name, .object(fields)))
            }
            entries.append(("aliases", .object(registry.behaviors.aliases.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            try? StandardStreams.writeOutput(JSONValue.object(entries).serialized() + "\n")
            return
        }
        func cell(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        var lines = [cell("model", 28) + cell("$/1M in", 10) + cell("$/1M out", 10) + cell("context", 10) + cell("max out", 9)
                     + cell("ttft", 7) + cell("tok/s", 7) + cell("rpm", 7) + cell("tpm", 10) + "from"]
        for m in listed {
            let sources = registry.sources(m.name)
            func price(_ v: Double?) -> String { v.map { String(format: "%.2f", $0 * 1_000_000) } ?? "?" }
            lines.append(cell(m.name, 28) + cell(price(m.inputCostPerToken), 10) + cell(price(m.outputCostPerToken), 10)
                         + cell(m.maxInputTokens.map(String.init) ?? "?", 10) + cell(m.maxOutputTokens.map(String.init) ?? "?", 9)
                         + cell(m.behavior.map { String(format: "%.2fs", $0.ttftSeconds) } ?? "-", 7)
                         + cell(m.behavior.map { String(format: "%.0f", $0.outputTokensPerSecond) } ?? "-", 7)
                         + cell(m.rateLimit.rpm.map(String.init) ?? "-", 7) + cell(m.rateLimit.tpm.map(String.init) ?? "-", 10)
                         + "price: \(sources.price); latency: \(sources.behavior); limits: \(m.rateLimit.source)")
        }
        lines.append("")
        lines.append("aliases: " + registry.behaviors.aliases.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        if let warning = limits.assumptionWarning { lines.append(warning) }
        try? StandardStreams.writeOutput(lines.joined(separator: "\n") + "\n")
    }
}
