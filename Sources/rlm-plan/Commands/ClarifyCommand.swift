import ArgumentParser
import Foundation
import Planner

/// `rlm-plan clarify`: what a task description leaves open, as questions with assumed defaults.
struct ClarifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarify",
        abstract: "Say what a task description leaves open that would change the plan, as questions.",
        discussion: """
            Lists the ambiguities (missing item count or size, vague scope, unknown output format, \
            unreadable constraints, a budget the simulation shows is too small for the scale) with, \
            for each, the question, why it matters and the default assumed. Answer with \
            `rlm-plan finalize TASK --clarifications "…"`.

            \(ExitCodes.discussion(success: "the request was examined (is_clear may be false)",
                                   failure: "the request could not be examined",
                                   usage: "bad option value or a request field the planner cannot read"))
            """
    )

    @OptionGroup var request: PlanRequestOptions
    @OptionGroup var planning: PlanningOptions

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let options = try planning.options()
        let req = try request.request()
        let result = try PlannerCall.wait { try await Planner.clarify(req, options: options) }
        try PlannerCall.write(planning.json ? result.json() + "\n" : result.text())
    }
}
