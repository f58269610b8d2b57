import Foundation
@testable import Planner
import Sandbox
import Simulator

/// Paths and options the planner tests share.
enum PlannerFixtures {
    /// `Tests/PlannerTests/Fixtures`.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let patternsDirectory = directory.appendingPathComponent("patterns")
    /// The project's own pattern library, `patterns/` at the repository root.
    static let libraryDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("patterns")

    /// The four fixture patterns: small, for tests of the loader and of the pilot and LLM steps.
    static func library() throws -> PatternLibrary {
        try PatternLibrary.load(directory: patternsDirectory)
    }

    /// Options with the fixture library and the embedded registry.
    static func options(runs: Int = 3, seed: UInt64 = 1) throws -> PlanOptions {
        var options = PlanOptions(seed: seed, runs: runs)
        options.library = try library()
        options.registry = .loaded(.init())
        return options
    }

    /// The real library in `patterns/`, loaded once (every acceptance test plans with it).
    static let realLibrary: Result<PatternLibrary, any Error> = Result { try PatternLibrary.load(directory: libraryDirectory) }

    /// Options with the real library and the embedded registry (what `rlm-plan suggest` uses).
    static func libraryOptions(runs: Int = 1, seed: UInt64 = 1) throws -> PlanOptions {
        var options = PlanOptions(seed: seed, runs: runs)
        options.library = try realLibrary.get()
        options.registry = .loaded(.init())
        return options
    }
}

/// Plans made once and shared by the tests that check different things about them (planning
/// with the whole library is the slow part of these tests).
actor PlanCache {
    static let shared = PlanCache()
    private var plans: [String: Task<StrategyPlan, any Error>] = [:]

    /// The plan of `request` with the real library and `runs` Monte Carlo runs (1 by default:
    /// the tests of ranking and templates do not need the spread).
    func plan(_ request: PlanRequest, runs: Int = 1) async throws -> StrategyPlan {
        let key = String(decoding: try JSONEncoder().encode(request), as: UTF8.self) + "#\(runs)"
        if let task = plans[key] { return try await task.value }
        let options = try PlannerFixtures.libraryOptions(runs: runs)
        let task = Task { try await Planner.plan(request, options: options) }
        plans[key] = task
        return try await task.value
    }
}
