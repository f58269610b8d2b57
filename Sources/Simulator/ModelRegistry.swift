import Foundation
import Sandbox

/// Everything the simulator knows about models: prices and limits (litellm's format, embedded
/// snapshot) and behaviour (latency, reply length, rate limits), with aliases.
///
/// A user file (`--models FILE`, else `$RLM_MODELS`) is one JSON object keyed by model name, in
/// litellm's format plus our fields, and an optional `"aliases"` object:
///
///     {"my-llama": {"input_cost_per_token": 0, "output_cost_per_token": 0, "max_input_tokens": 8192,
///                   "ttft_s": 0.2, "output_tokens_per_s": 40, "rpm": 600},
///      "aliases": {"fast": "my-llama"}}
///
/// Calibrated figures (`.rlm/calibration.json`) apply first, the user's file on top.
public struct ModelRegistry: Sendable {
    public var catalog: ModelCatalog
    public var behaviors: ModelBehaviorTable

    public init(catalog: ModelCatalog = .embedded, behaviors: ModelBehaviorTable = .embedded) {
        self.catalog = catalog
        self.behaviors = behaviors
    }

    static let behaviorKeys: Set<String> = ["ttft_s", "ttft_s_per_1k_input", "output_tokens_per_s", "latency_spread",
                                            "reply_tokens", "reply_spread", "rpm", "tpm", "tiers"]

    /// The embedded registry with calibration and the user's file applied.
    public static func load(path: String?, calibration: String? = Calibration.defaultPath,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ModelRegistry {
        var registry = ModelRegistry(catalog: try ModelCatalog.load(overridePath: nil))
        if let calibration, let data = FileManager.default.contents(atPath: calibration) {
            try registry.behaviors.merge(json: data, source: calibration)
        }
        let file = path ?? environment["RLM_MODELS"].flatMap { $0.isEmpty ? nil : $0 }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw SimulationError("cannot read the models file \(file)") }
            try registry.merge(data, source: file)
        }
        return registry
    }

    /// Merges a models file (see the type's documentation).
    public mutating func merge(_ data: Data, source: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SimulationError("\(source): a models file is one JSON object keyed by model name")
        }
        var catalogPart: [String: Any] = [:]
        var behaviorPart: [String: Any] = [:]
        var aliases: [String: String] = [:]
        for (name, value) in object {
            if name == "aliases" {
                guard let a = value as? [String: String] else { throw SimulationError("\(source): \"aliases\" must map names to model names") }
                aliases = a
                continue
            }
            if name == "models", let nested = value as? [String: Any] {
                // The calibration file's shape: {"models": {name: {behaviour fields}}}.
                for (n, v) in nested { behaviorPart[n] = v }
                continue
            }
            guard let fields = value as? [String: Any] else { throw SimulationError("\(source): the entry for \(name) is not an object") }
            let ours = fields.filter { Self.behaviorKeys.contains($0.key) }
            let theirs = fields.filter { !Self.behaviorKeys.contains($0.key) }
            if !ours.isEmpty { behaviorPart[name] = ours }
            if !theirs.isEmpty || ours.isEmpty { catalogPart[name] = theirs }
        }
        if !catalogPart.isEmpty {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: catalogPart, options: [.sortedKeys]), as: UTF8.self)
            do { catalog = try catalog.merging(json: json, source: "the models file \(source)") } catch { throw SimulationError("\(error)") }
        }
        let behaviorFile = try JSONSerialization.data(withJSONObject: ["models": behaviorPart, "aliases": aliases], options: [.sortedKeys])
        try behaviors.merge(json: behaviorFile, source: source)
    }
}
