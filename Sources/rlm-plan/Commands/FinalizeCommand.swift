import ArgumentParser
import Foundation
import Planner

/// `rlm-plan finalize`: a task plus the answers to `clarify`'s questions, planned.
struct FinalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finalize",
        abstract: "Plan a task with the answers to clarify's questions folded in.",
        discussion: """
            --clarifications takes free text ("500 Python files, API docs format, all files") or \
            `key: value` lines (items, size, coverage, format, budget, time, models, priority, scale, \
            outputs). The plan's _meta.clarifications_incorporated lists what changed.

            \(ExitCodes.discussion(success: "a plan was made (it may say feasible: false)",
                                   failure: "planning failed",
                                   usage: "bad option value, or clarifications the planner cannot read"))
            """
    )

    @OptionGroup var request: PlanRequestOptions
    @OptionGroup var planning: PlanningOptions

    @Option(name: .customLong("clarifications"), help: ArgumentHelp("The answers: free text or `key: value` lines.", valueName: "TEXT"))
    var clarifications: String

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let options = try planning.options()
        let req = try request.request()
        let answers = clarifications
        let plan = try PlannerCall.wait { try await Planner.finalize(req, clarifications: answers, options: options) }
        try PlannerCall.write(planning.json ? plan.json() + "\n" : plan.text())
    }
}
