import ArgumentParser
import Sandbox

/// `rlm-plan repl`: evaluates inputs one after another in one persistent sandbox.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Evaluate Scheme interactively in one persistent sandbox.",
        usage: "rlm-plan repl [<limits>]",
        discussion: """
            Reads standard input line by line; an input runs once its brackets balance, so it may \
            span lines. Definitions persist from one input to the next. Prints what each input \
            displayed, then the value of its last expression (or the value given to `finish`); \
            errors go to standard error and the \
            session goes on. `(exit)` or end of input quits. The prompts `> ` and `. ` (more \
            input needed) appear only when standard input is a terminal.

            \(ExitCodes.discussion(success: "end of input or (exit), even after Scheme errors",
                                   failure: "standard output could not be written"))
            """
    )

    @OptionGroup(title: "Models")
    var modelOptions: ModelOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let session = SandboxSession(limits: limitOptions.limits, seed: limitOptions.seed, storePath: modelOptions.store,
                                     gateway: try modelOptions.makeGateway())
        let interactive = StandardStreams.inputIsTerminal
        var input = StandardInputLines()
        var pending = ""
        do {
            if interactive { try StandardStreams.writeOutput("> ") }
            while let line = input.next() {
                pending += pending.isEmpty ? line : "\n" + line
                let state = ReplInput(pending)
                switch state {
                case .incomplete:
                    if interactive { try StandardStreams.writeOutput(". ") }
                    continue
                case .exit:
                    return
                case .blank:
                    break
                case .complete:
                    try Self.evaluate(pending, in: session)
                }
                pending = ""
                if interactive { try StandardStreams.writeOutput("> ") }
            }
            if ReplInput(pending) == .incomplete {
                // End of input inside an open form: let the reader say what is missing.
                try Self.evaluate(pending, in: session)
            }
            if interactive { try StandardStreams.writeOutput("\n") }
        } catch {
            throw ExitCodes.failure
        }
    }

    /// Runs one input and prints its output, `finish` value or error.
    private static func evaluate(_ code: String, in session: SandboxSession) throws {
        let result = session.eval(code, sourceName: "repl")
        try StandardStreams.writeOutput(result.stdout)
        switch result.status {
        case .ok:
            if !result.stdout.isEmpty && !result.stdout.hasSuffix("\n") { try StandardStreams.writeOutput("\n") }
            // Like Racket's REPL: show the value of an expression (not of definitions, which are void).
            if let shown = result.printedValue { try StandardStreams.writeOutput(shown + "\n") }
        case .finished:
            if !result.stdout.isEmpty && !result.stdout.hasSuffix("\n") { try StandardStreams.writeOutput("\n") }
            try StandardStreams.writeOutput(result.result + "\n")
        case .error:
            StandardStreams.writeError((result.error?.messageWithPosition ?? "evaluation failed") + "\n")
        }
    }
}
