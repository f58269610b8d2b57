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
        var names = Set(all ? registry.catalog.models.map(\.name) : Array(registry.behaviors.behaviors.keys))
        names.formUnion(registry.userFileModels)
        names.formUnion(registry.calibratedModels)
        let sorted = names.sorted()
        if json {
            var entries: [(String, JSONValue)] = []
            for name in sorted {
                let info = registry.catalog.info(name)
                let b = registry.behaviors.behavior(name)
                let limit = limits.resolve(name)
                let sources = registry.sources(name)
                var fields: [(String, JSONValue)] = []
                if let v = info?.inputCostPerToken { fields.append(("input_cost_per_token", .double(v))) }
                if let v = info?.outputCostPerToken { fields.append(("output_cost_per_token", .double(v))) }
                if let v = info?.maxInputTokens { fields.append(("max_input_tokens", .int(v))) }
                if let v = info?.maxOutputTokens { fields.append(("max_output_tokens", .int(v))) }
                if let b {
                    fields += [("ttft_s", .double(b.ttftSeconds)), ("output_tokens_per_s", .double(b.outputTokensPerSecond)),
                               ("reply_tokens", .double(b.replyTokens))]
                    if let e = b.errorRate { fields.append(("error_rate", .double(e))) }
                }
                if let r = limit.rpm { fields.append(("rpm", .int(r))) }
                if let t = limit.tpm { fields.append(("tpm", .int(t))) }
                fields.append(("tokenizer", .string(ChatTokenCounter.encoding(forModel: name)?.rawValue ?? "estimate")))
                fields.append(("sources", .object([("price", .string(sources.price)), ("behavior", .string(sources.behavior)),
                                                   ("rate_limits", .string(limit.source))])))
                entries.append((name, .object(fields)))
            }
            entries.append(("aliases", .object(registry.behaviors.aliases.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            try? StandardStreams.writeOutput(JSONValue.object(entries).serialized() + "\n")
            return
        }
        func cell(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        var lines = [cell("model", 28) + cell("$/1M in", 10) + cell("$/1M out", 10) + cell("context", 10) + cell("max out", 9)
                     + cell("ttft", 7) + cell("tok/s", 7) + cell("rpm", 7) + cell("tpm", 10) + "from"]
        for name in sorted {
            let info = registry.catalog.info(name)
            let b = registry.behaviors.behavior(name)
            let limit = limits.resolve(name)
            let sources = registry.sources(name)
            func price(_ v: Double?) -> String { v.map { String(format: "%.2f", $0 * 1_000_000) } ?? "?" }
            lines.append(cell(name, 28) + cell(price(info?.inputCostPerToken), 10) + cell(price(info?.outputCostPerToken), 10)
                         + cell(info?.maxInputTokens.map(String.init) ?? "?", 10) + cell(info?.maxOutputTokens.map(String.init) ?? "?", 9)
                         + cell(b.map { String(format: "%.2fs", $0.ttftSeconds) } ?? "-", 7)
                         + cell(b.map { String(format: "%.0f", $0.outputTokensPerSecond) } ?? "-", 7)
                         + cell(limit.rpm.map(String.init) ?? "-", 7) + cell(limit.tpm.map(String.init) ?? "-", 10)
                         + "price: \(sources.price); latency: \(sources.behavior); limits: \(limit.source)")
        }
        lines.append("")
        lines.append("aliases: " + registry.behaviors.aliases.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        if let warning = limits.assumptionWarning { lines.append(warning) }
        try? StandardStreams.writeOutput(lines.joined(separator: "\n") + "\n")
    }
}
