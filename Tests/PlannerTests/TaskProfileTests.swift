import Sandbox
import Foundation
import Simulator
import Testing
@testable import Planner

@Suite("Task profile")
struct TaskProfileTests {
    let pool = ModelPool(registry: ModelRegistry())

    func profile(_ task: String, data: String? = nil, constraints: String? = nil, priority: String? = nil, scale: String? = nil,
                 minOutputs: Int? = nil, coverage: String? = nil, context: String? = nil) throws -> TaskProfiler.Result {
        try TaskProfiler.profile(PlanRequest(taskDescription: task, dataCharacteristics: data, constraints: constraints, priority: priority,
                                             scale: scale, minOutputs: minOutputs, coverageTarget: coverage, context: context), models: pool)
    }

    @Test("\"~5KB per paper, 1MB total\" with 200 papers in the task: 200 items of 5,000 characters, one output each")
    func papers() throws {
        let r = try profile("Analyze 200 research papers for antimicrobial resistance genes", data: "~5KB per paper, 1MB total")
        #expect(r.profile.items == 200)
        #expect(r.profile.charsPerItem == 5_000)
        #expect(r.profile.itemNoun == "paper")
        #expect(r.profile.kind == "extraction")
        #expect(r.profile.requiredOutputs == 200)
        #expect(r.profile.dataSource == "description")
        #expect(!r.unknowns.contains(.itemCount) && !r.unknowns.contains(.itemSize))
    }

    @Test("the count comes from the total and the item size when no number of items is given")
    func countFromTotal() throws {
        let r = try profile("Extract the methods from each paper", data: "~5KB per paper, 1MB total")
        #expect(r.profile.items == 200)
    }

    @Test("\"500 Python files\" and \"200 rows of CSV\": counts with assumed sizes, recorded as assumptions")
    func countsWithAssumedSizes() throws {
        let files = try profile("Write docstrings for every function", data: "500 Python files")
        #expect(files.profile.items == 500)
        #expect(files.profile.itemNoun == "file")
        #expect(files.unknowns.contains(.itemSize))
        #expect(files.assumptions.contains { $0.contains("size per file") })
        let rows = try profile("Classify the sentiment of each review", data: "200 rows of CSV")
        #expect(rows.profile.items == 200)
        #expect(rows.profile.itemNoun == "row")
        #expect(rows.profile.kind == "classification")
    }

    @Test("\"one 900KB document\" becomes sections and one answer")
    func oneLargeDocument() throws {
        let r = try profile("Summarize the key findings", data: "one 900KB document")
        #expect(r.profile.singleDocument)
        #expect(r.profile.items == 113)
        #expect(r.profile.requiredOutputs == 1)
        #expect(r.profile.kind == "summarisation")
    }

    @Test("constraints: dollars, time and models are read; an unreadable clause is an assumption")
    func constraints() throws {
        let r = try profile("Classify 100 tickets", constraints: "under $2, within 5 minutes, only gpt-4o-mini, be nice")
        #expect(r.profile.maxCostUSD == 2)
        #expect(r.profile.maxLatencySeconds == 300)
        #expect(r.profile.allowedModels == ["gpt-4o-mini"])
        #expect(r.unreadConstraints == ["be nice"])
        #expect(r.assumptions.contains { $0.contains("be nice") })
        let excluded = try profile("Classify 100 tickets", constraints: "no gpt-4o; budget 50 dollars; in 2 hours")
        #expect(excluded.profile.excludedModels == ["gpt-4o"])
        #expect(excluded.profile.maxCostUSD == 50)
        #expect(excluded.profile.maxLatencySeconds == 7200)
    }

    @Test("scale, min_outputs and coverage set the outputs required")
    func outputsRequired() throws {
        #expect(try profile("Summarize 200 articles", scale: "small").profile.requiredOutputs == 10)
        #expect(try profile("Summarize 200 articles", scale: "comprehensive").profile.requiredOutputs == 200)
        #expect(try profile("Summarize 200 articles", scale: "small", minOutputs: 50).profile.requiredOutputs == 50)
        #expect(try profile("Summarize 200 articles", coverage: "80%").profile.coverageTarget == 0.8)
        #expect(try profile("Summarize 200 articles", coverage: "all").profile.coverageTarget == 1)
    }

    @Test("bad priority, scale, coverage or an empty task are errors naming the field")
    func badFields() {
        for (request, field) in [(PlanRequest(taskDescription: "x", priority: "fastest"), "priority"),
                                 (PlanRequest(taskDescription: "x", scale: "huge"), "scale"),
                                 (PlanRequest(taskDescription: "x", coverageTarget: "lots"), "coverage_target"),
                                 (PlanRequest(taskDescription: "  "), "task_description"),
                                 (PlanRequest(taskDescription: "x", minOutputs: -1), "min_outputs")] {
            do {
                _ = try TaskProfiler.profile(request, models: pool)
                Issue.record("accepted a bad \(field)")
            } catch let e as PlannerError {
                #expect(e.description.contains(field))
            } catch { Issue.record("\(error)") }
        }
    }

    @Test("real data is measured as (context-items) splits it: a JSON array or blank-line paragraphs")
    func contextProfile() throws {
        let paragraphs = try profile("Extract entities", context: "alpha beta\n\n  \n\ngamma delta epsilon\n\nzeta\n")
        #expect(paragraphs.profile.items == 3)
        #expect(paragraphs.profile.dataSource == "context")
        let spread = try #require(paragraphs.profile.tokensPerItemSpread)
        #expect(spread.min >= 1 && spread.min <= spread.p50 && spread.p50 <= spread.max && spread.max >= 3)
        let array = try profile("Extract entities", context: #"["one two", "three\n\nfour", "five"]"#)
        #expect(array.profile.items == 3)
        #expect(throws: PlannerError.self) { try profile("Extract entities", context: "\n\n \n") }
    }

    @Test("task kinds from words, matched at word starts")
    func kinds() {
        #expect(TaskKind.detect("Translate the manual into French") == "translation")
        #expect(TaskKind.detect("Document the large repository") == "code-generation")
        #expect(TaskKind.detect("Compare the three proposals") == "comparison")
        #expect(TaskKind.detect("Answer questions over the contracts") == "qa")
        #expect(TaskKind.detect("Search the logs for failed logins") == "search")
        #expect(TaskKind.detect("Analyze research papers") == "extraction")
        #expect(TaskKind.detect("Do the thing") == nil)
    }
}
