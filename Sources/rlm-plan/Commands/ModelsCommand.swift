import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// `rlm-plan models`: the registry the simulator and the budgets use.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the registry knows: prices, limits, latency profile, aliases."
    )

    @Option(name: .customLong("models"), help: ArgumentHelp("Overrides and additions (default: $RLM_MODELS).", valueName: "FILE"))
    var models: String?

    @Flag(name: .customLong("all"), help: "Every priced model, not only those with a latency profile.")
    var all = false

    @Flag(name: .customLong("json"), help: "One JSON object keyed by model name.")
    var json = false

    func run() throws {
        let registry: ModelRegistry
        do { registry = try ModelRegistry.load(path: models) } catch { throw ValidationError("\(error)") }
        let names = all ? registry.catalog.models.map(\.name)
            : registry.behaviors.behaviors.keys.sorted()
        if json {
            var entries: [(String, JSONValue)] = []
            for name in names {
                let info = registry.catalog.info(name)
                let b = registry.behaviors.behavior(name)
                var fields: [(String, JSONValue)] = []
                if let v = info?.inputCostPerToken { fields.append(("input_cost_per_token", .double(v))) }
                if let v = info?.outputCostPerToken { fields.append(("output_cost_per_token", .double(v))) }
                if let v = info?.maxInputTokens { fields.append(("max_input_tokens", .int(v))) }
                if let v = info?.maxOutputTokens { fields.append(("max_output_tokens", .int(v))) }
                if let b {
                    fields += [("ttft_s", .double(b.ttftSeconds)), ("output_tokens_per_s", .double(b.outputTokensPerSecond)),
                               ("reply_tokens", .double(b.replyTokens))]
                    if let r = b.requestsPerMinute { fields.append(("rpm", .int(r))) }
                    if let t = b.tokensPerMinute { fields.append(("tpm", .int(t))) }
                }
                entries.append((name, .object(fields)))
            }
            entries.append(("aliases", .object(registry.behaviors.aliases.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            try? StandardStreams.writeOutput(JSONValue.object(entries).serialized() + "\n")
            return
        }
        func cell(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        var lines = [cell("model", 28) + cell("$/1M in", 10) + cell("$/1M out", 10) + cell("context", 10) + cell("max out", 9)
                     + cell("ttft", 7) + cell("tok/s", 7) + cell("rpm", 7) + "tpm"]
        for name in names {
            let info = registry.catalog.info(name)
            let b = registry.behaviors.behavior(name)
            func price(_ v: Double?) -> String { v.map { String(format: "%.2f", $0 * 1_000_000) } ?? "?" }
            lines.append(cell(name, 28) + cell(price(info?.inputCostPerToken), 10) + cell(price(info?.outputCostPerToken), 10)
                         + cell(info?.maxInputTokens.map(String.init) ?? "?", 10) + cell(info?.maxOutputTokens.map(String.init) ?? "?", 9)
                         + cell(b.map { String(format: "%.2fs", $0.ttftSeconds) } ?? "-", 7)
                         + cell(b.map { String(format: "%.0f", $0.outputTokensPerSecond) } ?? "-", 7)
                         + cell(b?.requestsPerMinute.map(String.init) ?? "-", 7) + (b?.tokensPerMinute.map(String.init) ?? "-"))
        }
        lines.append("")
        lines.append("aliases: " + registry.behaviors.aliases.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        try? StandardStreams.writeOutput(lines.joined(separator: "\n") + "\n")
    }
}
