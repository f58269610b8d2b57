import Foundation
import Sandbox
import Simulator
import Testing

/// The simulation API hosts use (the planner, the MCP server): async, progress, cancellation,
/// options that carry everything the CLI has, the Codable report and the outputs contract.
@Suite struct SimulationAPITests {
    func options(runs: Int = 1) -> SimulationOptions {
        var o = SimulationOptions()
        o.runs = runs
        o.dataShape = .items(count: 20, chars: 400)
        return o
    }

    @Test func asyncSimulationGivesTheSameReportAndCountsRunsDone() async throws {
        let progress = ProgressLog()
        let report = try await Simulation.simulate(program: SimulationTests.fanOut, sourceName: "fan.scm", options: options(runs: 6)) {
            progress.add($0)
        }
        let blocking = try Simulation.simulateSynchronously(program: SimulationTests.fanOut, sourceName: "fan.scm", options: options(runs: 6))
        #expect(try report.json() == blocking.json())
        #expect(progress.values.map(\.runsDone) == [1, 2, 3, 4, 5, 6])
        #expect(progress.values.allSatisfy { $0.runsTotal == 6 })
    }

    @Test func cancellingTheTaskStopsTheRemainingRuns() async throws {
        let progress = ProgressLog()
        let holder = TaskHolder()
        // Cancelled from its own progress once a run is done: however fast or starved the machine,
        // 20,000 runs cannot all finish first.
        let task = Task {
            try await Simulation.simulate(program: SimulationTests.fanOut, sourceName: "fan.scm", options: options(runs: 20_000)) {
                progress.add($0)
                holder.cancel()
            }
        }
        holder.set(task)
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        let done = progress.values.last?.runsDone ?? 0
        #expect(done >= 1 && done < 20_000)
        // Nothing runs after the call returned.
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect((progress.values.last?.runsDone ?? 0) <= done + ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func optionsCarryTheDataShapeAndTheTier() throws {
        var manual = SimulationOptions()
        manual.context = SyntheticData.items(20, chars: 400, seed: 1)
        var tiered = manual
        tiered.behaviors.selectTier("tier-3")
        var shaped = options()
        shaped.tier = "tier-3"
        let a = try Simulation.simulateSynchronously(program: SimulationTests.fanOut, sourceName: "fan.scm", options: shaped)
        var b = try Simulation.simulateSynchronously(program: SimulationTests.fanOut, sourceName: "fan.scm", options: tiered)
        // The same runs; only the named source of the limits differs.
        b.rateLimits = b.rateLimits.map { var r = $0; r.source = "tier-3"; return r }
        #expect(try a.json() == b.json())
        #expect(a.rateLimits.allSatisfy { $0.source == "tier-3" })
        #expect(a.rateLimits.first { $0.model == "gpt-4o" }?.tpm == tiered.behaviors.behavior("gpt-4o")?.tokensPerMinute)
    }

    @Test func invalidOptionsAreErrorsNamingTheValue() {
        var o = options()
        o.tier = "tier-9"
        #expect { try Simulation.simulateSynchronously(program: "(finish 1)", options: o) } throws: { error in
            "\(error)".contains("unknown tier tier-9; known: tier-1")
        }
        o = options()
        o.context = "real data"
        #expect { try Simulation.simulateSynchronously(program: "(finish 1)", options: o) } throws: { error in
            "\(error)".contains("either context")
        }
        o = options()
        o.runs = 0
        #expect { try Simulation.simulateSynchronously(program: "(finish 1)", options: o) } throws: { error in
            "\(error)".contains("runs must be a positive whole number, not 0")
        }
    }

    @Test(arguments: [
        ("(finish (list \"a\" \"b\" \"c\"))", 3),
        ("(finish (hash 'items (list \"a\" \"b\") 'synthesis \"ab\"))", 2),
        ("(finish \"one answer\")", 1),
        ("(finish (list (llm-query #:data \"x\")))", 1),
        ("(finish (error \"no\"))", 0),
        ("(void)", 0),
    ])
    func outputsFollowTheTemplateContract(program: String, expected: Int) throws {
        let report = try Simulation.simulateSynchronously(program: program, sourceName: "o.scm", options: options())
        #expect(report.runs[0].outputs == expected)
        #expect(report.outputs.p50 == Double(expected))
    }

    @Test func theFinishValueIsCarriedAsJSON() throws {
        let report = try Simulation.simulateSynchronously(
            program: #"(finish (hash 'items (map (lambda (x) (syntax-e (llm-query #:data x))) (list "a" "b")) 'synthesis "both"))"#,
            sourceName: "v.scm", options: options())
        let value = try #require(report.value)
        #expect(value["synthesis"] == .string("both"))
        guard case .array(let items)? = value["items"] else { Issue.record("no items in \(value)"); return }
        #expect(items.count == 2)
        // A value that is not a jsexpr (a syntax object) has no JSON, but still counts as one output.
        let raw = try Simulation.simulateSynchronously(program: #"(finish (llm-query #:data "x"))"#, sourceName: "r.scm", options: options())
        #expect(raw.value == nil)
        #expect(raw.runs[0].outputs == 1)
    }

    @Test func theReportDecodesFromItsOwnJSON() throws {
        var o = options(runs: 4)
        o.fixtures = FixtureSet(entries: [.init(instruction: "never used", text: "x")])
        let report = try Simulation.simulateSynchronously(program: SimulationTests.fanOut, sourceName: "fan.scm", options: o)
        let json = try report.json()
        let decoded = try SimulationReport.decode(json: Data(json.utf8))
        #expect(try decoded.json() == json)
        #expect(decoded.runCount == 4)
        #expect(decoded.calls == report.calls)
        #expect(decoded.cost == report.cost)
        #expect(decoded.byModel == report.byModel)
        #expect(decoded.byCallSite == report.byCallSite)
        #expect(decoded.schedule == report.schedule)
        #expect(decoded.warnings == report.warnings)
        #expect(decoded.warnings.map(\.code) == [.fixtureUnused])
        #expect(decoded.runs.isEmpty)
        // One run: figures are plain numbers and decode as single-value distributions.
        let one = try Simulation.simulateSynchronously(program: #"(finish (list 1 "two" #t (hash 'k 2.5)))"#, sourceName: "one.scm", options: options())
        let oneDecoded = try SimulationReport.decode(json: Data(try one.json().utf8))
        #expect(oneDecoded.latency == one.latency)
        #expect(oneDecoded.value == one.value)
        #expect(try oneDecoded.json() == one.json())
    }
}

/// Progress reports collected from the simulation's threads.
/// The task a progress callback cancels (set once the task exists).
final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<SimulationReport, any Error>?
    private var cancelRequested = false
    func set(_ t: Task<SimulationReport, any Error>) {
        lock.lock(); task = t; let cancelNow = cancelRequested; lock.unlock()
        if cancelNow { t.cancel() }
    }
    func cancel() {
        lock.lock(); cancelRequested = true; let t = task; lock.unlock()
        t?.cancel()
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [SimulationProgress] = []
    func add(_ p: SimulationProgress) { lock.lock(); log.append(p); lock.unlock() }
    var values: [SimulationProgress] { lock.lock(); defer { lock.unlock() }; return log }
}
