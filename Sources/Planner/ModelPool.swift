import Foundation
import Sandbox
import Simulator

/// The models a plan may use, and which one plays each role at each tier.
///
/// The pool is every model the registry can both price and simulate (a price and a latency
/// profile), from the same provider as the `balanced` alias's model, with a context window of at
/// least 32K tokens — minus what the constraints exclude, or only what they allow. Tiers use the
/// registry's aliases (`fast`, `balanced`, `quality`) and the cheapest model of the pool:
///
/// | tier | worker, cheap | synthesiser, critic, judge, planner, strong |
/// |---|---|---|
/// | economy | cheapest | `fast` |
/// | standard | `fast` | `balanced` |
/// | premium | `balanced` | `quality` |
///
/// A constraint that allows only some models maps the tiers onto them by price instead.
struct ModelPool {
    struct Model: Equatable {
        var name: String
        /// Dollars per 1K prompt + 1K completion tokens (the price order of the pool).
        var price: Double
        var window: Int
    }

    /// One assignment of models to roles.
    struct Tier: Equatable {
        var name: String
        var worker: String
        var strong: String

        /// Roles the tier's worker model plays; every other role gets its strong model.
        static let workerRoles: Set<String> = ["worker", "cheap", "map", "extractor", "classifier"]

        func model(forRole role: String) -> String { Self.workerRoles.contains(role) ? worker : strong }
    }

    let registry: ModelRegistry
    /// The pool, cheapest first.
    private(set) var models: [Model] = []

    init(registry: ModelRegistry) {
        self.registry = registry
        let provider = registry.catalog.info(registry.behaviors.resolve("balanced"))?.provider ?? "openai"
        models = registry.behaviors.behaviors.keys.sorted().compactMap { name in
            guard let info = registry.catalog.info(name), info.provider == provider,
                  let input = info.inputCostPerToken, let output = info.outputCostPerToken,
                  let window = info.maxInputTokens, window >= 32_000 else { return nil }
            return Model(name: name, price: (input + output) * 1000, window: window)
        }.sorted { ($0.price, $0.name) < ($1.price, $1.name) }
    }

    /// Whether `word` names a model the registry knows (constraints name models this way).
    func isKnown(_ word: String) -> Bool {
        registry.catalog.info(word) != nil || registry.behaviors.behaviors[registry.behaviors.resolve(word)] != nil
    }

    /// The tiers for a profile's model constraints, without duplicates, cheapest first.
    func tiers(allowed: [String]?, excluded: [String]) -> [Tier] {
        let excludedNames = Set(excluded.map(registry.behaviors.resolve))
        if let allowed, !allowed.isEmpty {
            let names = allowed.map(registry.behaviors.resolve).filter { !excludedNames.contains($0) }
            let sorted = names.sorted { (priceOf($0), $0) < (priceOf($1), $1) }
            guard let cheapest = sorted.first, let dearest = sorted.last else { return [] }
            let middle = sorted[sorted.count / 2]
            return dedupe([Tier(name: "economy", worker: cheapest, strong: middle),
                           Tier(name: "standard", worker: middle, strong: dearest),
                           Tier(name: "premium", worker: dearest, strong: dearest)])
        }
        let usable = models.filter { !excludedNames.contains($0.name) }
        guard let cheapest = usable.first?.name else { return [] }
        func alias(_ a: String) -> String {
            let target = registry.behaviors.resolve(a)
            if usable.contains(where: { $0.name == target }) { return target }
            // The alias's model is excluded: the next dearer usable model, else the dearest.
            let price = priceOf(target)
            return usable.first { $0.price >= price }?.name ?? usable.last?.name ?? cheapest
        }
        return dedupe([Tier(name: "economy", worker: cheapest, strong: alias("fast")),
                       Tier(name: "standard", worker: alias("fast"), strong: alias("balanced")),
                       Tier(name: "premium", worker: alias("balanced"), strong: alias("quality"))])
    }

    func priceOf(_ name: String) -> Double {
        guard let info = registry.catalog.info(name), let i = info.inputCostPerToken, let o = info.outputCostPerToken else { return .infinity }
        return (i + o) * 1000
    }

    /// Relative strength (0 cheapest … 1 dearest of the pool), by price: the registry has no
    /// quality scores, and within one provider's line-up price orders capability well enough
    /// to separate tiers (documented as an assumption in docs/planner.md).
    func strength(_ name: String) -> Double {
        let prices = models.map(\.price)
        guard let lo = prices.min(), let hi = prices.max(), hi > lo else { return 0.5 }
        let p = min(max(priceOf(name), lo), hi)
        return log(p / lo) / log(hi / lo)
    }

    /// The context window of `name` (128K when unknown).
    func window(_ name: String) -> Int { registry.catalog.info(name)?.maxInputTokens ?? 128_000 }

    private func dedupe(_ tiers: [Tier]) -> [Tier] {
        var out: [Tier] = []
        for t in tiers where !out.contains(where: { $0.worker == t.worker && $0.strong == t.strong }) { out.append(t) }
        return out
    }
}
