import Sandbox
import Foundation
@testable import Planner
import Simulator

/// Paths and requests the planner tests share.
enum PlannerFixtures {
    /// `Tests/PlannerTests/Fixtures`.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let patternsDirectory = directory.appendingPathComponent("patterns")

    /// The fixture patterns (the contract's format), or the project's patterns/ when it exists.
    static func library() throws -> PatternLibrary {
        try PatternLibrary.load(directory: patternsDirectory)
    }

    /// Options for fast, deterministic tests: the fixture library, the embedded registry.
    static func options(runs: Int = 3, seed: UInt64 = 1) throws -> PlanOptions {
        var options = PlanOptions(seed: seed, runs: runs)
        options.library = try library()
        options.registry = .loaded(.init())
        return options
    }
}

extension PlannerFixtures {
    /// Whether the library pattern `name` returns one answer (not one per item).
    static func isSingle(_ name: String) -> Bool {
        (try? library().get(name)?.outputs == .single) ?? false
    }
}
