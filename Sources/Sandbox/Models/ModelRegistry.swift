import Foundation

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
/// Calibrated figures (`.rlm/calibration.json`) apply first, the user's file on top. The file is
/// `--models FILE`, else `$RLM_MODELS`, else `$RLM_MODELS_FILE` (the older name, kept as an alias).
public struct ModelRegistry: Sendable {
    public var catalog: ModelCatalog
    public var behaviors: ModelBehaviorTable
    /// Rate limits real runs observed (`x-ratelimit-limit-*`), as calibration kept them.
    public var observedLimits: [String: (rpm: Int?, tpm: Int?)] = [:]
    /// Where the figures come from, for `rlm-plan models`: the calibration file and the user's file
    /// when they were read.
    public var calibrationPath: String?
    public var userFilePath: String?
    /// Models the user's file and calibration gave figures for.
    public var userFileModels: Set<String> = []
    public var calibratedModels: Set<String> = []

    /// Where `model`'s price and behaviour figures come from, in words.
    public func sources(_ model: String) -> (price: String, behavior: String) {
        let name = behaviors.resolve(model)
        let price = userFileModels.contains(name) && userFilePath != nil ? "models file \(userFilePath ?? "")"
            : catalog.info(name) == nil ? "unknown" : "embedded \(ModelCatalog.embeddedSnapshot)"
        let behavior: String
        if userFileModels.contains(name), let userFilePath { behavior = "models file \(userFilePath)" }
        else if calibratedModels.contains(name), let calibrationPath { behavior = "calibration \(calibrationPath)" }
        else if behaviors.behavior(name) != nil { behavior = "embedded priors" }
        else { behavior = "defaults (unknown model)" }
        return (price, behavior)
    }

    /// Where `rlm-plan calibrate` writes and every world looks by default.
    public static let defaultCalibrationPath = ".rlm/calibration.json"

    public init(catalog: ModelCatalog = .embedded, behaviors: ModelBehaviorTable = .embedded) {
        self.catalog = catalog
        self.behaviors = behaviors
    }

    /// Rate limits from this registry for a provider at `baseURL` (see `RateLimitResolver`):
    /// the user file's `rpm`/`tpm`, observed limits, the tier tables, aliases.
    public func rateLimitResolver(baseURL: String, tier: String?) -> RateLimitResolver {
        var resolver = RateLimitResolver(baseURL: baseURL, tier: tier)
        resolver.observedLimits = observedLimits
        if let calibrationPath { resolver.observedSource = "observed in real runs (\(calibrationPath))" }
        if let userFilePath { resolver.fileSource = "models file \(userFilePath)" }
        return behaviors.completing(resolver)
    }

    static let behaviorKeys: Set<String> = ["ttft_s", "ttft_s_per_1k_input", "output_tokens_per_s", "latency_spread",
                                            "reply_tokens", "reply_spread", "rpm", "tpm", "tiers", "error_rate"]

    /// The embedded registry with calibration and the user's file applied.
    public static func load(path: String?, calibration: String? = ModelRegistry.defaultCalibrationPath,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ModelRegistry {
        var registry = ModelRegistry(catalog: .embedded)
        if let calibration, let data = FileManager.default.contents(atPath: calibration) {
            try registry.mergeCalibration(data, source: calibration)
            registry.calibrationPath = calibration
        }
        let file = path ?? ["RLM_MODELS", "RLM_MODELS_FILE"].lazy.compactMap { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }.first
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ModelCatalogError("cannot read the models file \(file)") }
            try registry.merge(data, source: file)
            registry.userFilePath = file
        }
        return registry
    }

    /// Merges a calibration file (`Calibration.file`): behaviour fields, and `observed_rpm` /
    /// `observed_tpm` as observed limits. Any `rpm`/`tpm`/`tiers` in it are ignored: older builds
    /// wrote the assumed tier's limits there, which are not observations.
    public mutating func mergeCalibration(_ data: Data, source: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let models = object["models"] as? [String: Any] else {
            throw ModelCatalogError("\(source): a calibration file is {\"models\": {name: {fields}}}")
        }
        var behaviour: [String: Any] = [:]
        for (name, value) in models {
            guard var fields = value as? [String: Any] else { throw ModelCatalogError("\(source): the entry for \(name) is not an object") }
            let rpm = (fields.removeValue(forKey: "observed_rpm") as? NSNumber)?.intValue
            let tpm = (fields.removeValue(forKey: "observed_tpm") as? NSNumber)?.intValue
            if rpm != nil || tpm != nil { observedLimits[name] = (rpm, tpm) }
            calibratedModels.insert(name)
            for key in ["rpm", "tpm", "tiers", "calls"] { fields.removeValue(forKey: key) }
            behaviour[name] = fields
        }
        try behaviors.merge(json: try JSONSerialization.data(withJSONObject: ["models": behaviour]), source: source)
    }

    /// Merges a models file (see the type's documentation).
    public mutating func merge(_ data: Data, source: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelCatalogError("\(source): a models file is one JSON object keyed by model name")
        }
        var catalogPart: [String: Any] = [:]
        var behaviorPart: [String: Any] = [:]
        var aliases: [String: String] = [:]
        for (name, value) in object {
            if name == "aliases" {
                guard let a = value as? [String: String] else { throw ModelCatalogError("\(source): \"aliases\" must map names to model names") }
                aliases = a
                continue
            }
            if name == "models", let nested = value as? [String: Any] {
                // The calibration file's shape: {"models": {name: {behaviour fields}}}.
                for (n, v) in nested { behaviorPart[n] = v }
                continue
            }
            guard let fields = value as? [String: Any] else { throw ModelCatalogError("\(source): the entry for \(name) is not an object") }
            userFileModels.insert(name)
            let ours = fields.filter { Self.behaviorKeys.contains($0.key) }
            let theirs = fields.filter { !Self.behaviorKeys.contains($0.key) }
            if !ours.isEmpty { behaviorPart[name] = ours }
            if !theirs.isEmpty || ours.isEmpty { catalogPart[name] = theirs }
        }
        if !catalogPart.isEmpty {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: catalogPart, options: [.sortedKeys]), as: UTF8.self)
            do { catalog = try catalog.merging(json: json, source: "the models file \(source)") } catch { throw ModelCatalogError("\(error)") }
        }
        let behaviorFile = try JSONSerialization.data(withJSONObject: ["models": behaviorPart, "aliases": aliases], options: [.sortedKeys])
        try behaviors.merge(json: behaviorFile, source: source)
    }
}

extension ModelBehaviorTable {
    /// `resolver` with what this table knows: each model's own `rpm`/`tpm` (set by the user's
    /// models file, or in code) as per-model explicit limits where the resolver has none, the
    /// published tier tables, and aliases.
    public func completing(_ resolver: RateLimitResolver) -> RateLimitResolver {
        var r = resolver
        for (name, b) in behaviors where (b.requestsPerMinute != nil || b.tokensPerMinute != nil) && r.fileLimits[name] == nil {
            r.fileLimits[name] = (b.requestsPerMinute, b.tokensPerMinute)
        }
        let table = self
        r.tierTable = { model, tier in
            guard let limits = table.behavior(model)?.tiers?[tier] else { return nil }
            return (limits.rpm, limits.tpm)
        }
        r.resolveModel = { table.resolve($0) }
        return r
    }
}
