import Foundation
import Sandbox
import Simulator
import Testing

/// The critical path follows the calls each call really waited on, not the timestamps.
@Suite struct CriticalPathTests {
    func simulate(_ program: String) throws -> SimulationReport {
        var o = SimulationOptions()
        o.dataShape = .items(count: 30, chars: 300)
        return try Simulation.simulateSynchronously(program: program, sourceName: "cp.scm", options: o)
    }

    @Test func aCallDependsOnWhatItsFiberWaitedOnNotOnWhatEndedJustBefore() throws {
        // z runs beside the chain x → y and ends between them (y waits for a 30 s sleep after x):
        // by timestamps y would seem to wait on z; it waited on x.
        let report = try simulate("""
            (define z (llm-query-async #:data "unrelated" #:model "gpt-4o" #:max-tokens 50))
            (define x (syntax-e (llm-query #:data "first" #:model "gpt-4.1-nano" #:max-tokens 5)))
            (sleep 30)
            (finish (syntax-e (llm-query #:data x #:model "gpt-4.1-nano" #:max-tokens 5)))
            """)
        let records = report.runs[0].records
        let byLine = Dictionary(grouping: records) { $0.siteLine ?? 0 }
        let z = try #require(byLine[1]?.first), x = try #require(byLine[2]?.first), y = try #require(byLine[4]?.first)
        #expect(z.endedAt > x.endedAt && z.endedAt < y.startedAt, "the schedule this test needs")
        #expect(x.dependsOn == nil)
        #expect(z.dependsOn == nil)
        #expect(y.dependsOn == x.id)
        #expect(report.schedule.criticalPath == [x.id, y.id])
        #expect(abs(report.schedule.criticalPathSeconds - ((x.endedAt - x.startedAt) + (y.endedAt - y.startedAt))) < 1e-9)
    }

    @Test func aSynthesisDependsOnTheFanOutCallThatEndedLast() throws {
        let report = try simulate(SimulationTests.fanOut)
        let records = report.runs[0].records
        let items = records.filter { $0.model == "gpt-4.1-nano" }
        let synthesis = try #require(records.first { $0.model == "gpt-4o" })
        let lastItem = try #require(items.max { $0.endedAt < $1.endedAt })
        #expect(synthesis.dependsOn == lastItem.id)
        // 30 items through a window of 20: the later items wait for a slot, and so on a call.
        #expect(items.filter { $0.dependsOn != nil }.count == 10)
        #expect(report.schedule.criticalPath.last == synthesis.id)
        #expect(report.schedule.criticalPath.count >= 3)
        let svg = Timeline.svg(report.runs[0])
        #expect(svg.contains("\(synthesis.id) gpt-4o") && svg.contains(", after \(lastItem.id)"))
    }

    @Test func awaitingAnAsyncCallMakesTheNextCallDependOnIt() throws {
        let report = try simulate("""
            (define a (llm-query-async #:data "a" #:model "gpt-4.1-nano" #:max-tokens 5))
            (define b (syntax-e (llm-query #:data (syntax-e (await a)) #:model "gpt-4.1-nano" #:max-tokens 5)))
            (finish b)
            """)
        let records = report.runs[0].records
        #expect(records.count == 2)
        #expect(records.last?.dependsOn == records.first?.id)
        #expect(report.schedule.criticalPath == records.map(\.id))
    }
}
