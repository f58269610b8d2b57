import Foundation
import Sandbox
import Simulator
import Testing

/// Issue 9: `#:recursive #t` children run as fibers on the parent's scheduler in simulation too.
@Suite("Simulated recursive delegation")
struct RecursiveSimulationTests {
    static let program = """
        (define (delegate i)
          (lambda () (syntax-e (llm-query #:instruction "Summarise this part" #:data (format "part ~a" i) #:recursive #t))))
        (finish (parallel (list (delegate 1) (delegate 2) (delegate 3) (delegate 4))))
        """

    @Test("four parallel recursive calls simulate without fixtures, and their children overlap in virtual time")
    func recursiveChildrenOverlap() throws {
        var options = SimulationOptions()
        options.runs = 1
        let report = try Simulation.simulateSynchronously(program: Self.program, sourceName: "recursive.scm", options: options)
        let run = try #require(report.runs.first)
        #expect(run.status == .finished, "\(run.error ?? "")")
        #expect(run.outputs == 4)
        // Each delegation is a code-generation call plus the child's own call.
        #expect(run.records.count == 8)
        let sequential = run.records.reduce(0) { $0 + ($1.endedAt - $1.startedAt) }
        // Overlapping children: the run takes well under the sum of its calls' latencies.
        #expect(run.latency < sequential * 0.5, "latency \(run.latency) s against \(sequential) s of calls")
        #expect(report.schedule.peakConcurrency >= 4)
    }
}
