import ArgumentParser
import Sandbox

/// `rlm-plan sandbox-server`: the JSON-lines protocol of the original Racket sandbox
/// (reference §4.5, §4.9) on standard input and output. The protocol itself lives in
/// `SandboxProtocolHandler`; this is only the read–answer–write loop.
struct SandboxServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-server",
        abstract: "Serve the JSON-lines sandbox protocol on standard input and output.",
        usage: "rlm-plan sandbox-server [<limits>]",
        discussion: """
            Each non-blank input line is one JSON command: eval, load-context, get-scope-log, \
            get-variables, inspect-state or reset. Each gets exactly one JSON reply line on \
            standard output, written at once; nothing else is written there. Errors, including \
            bad JSON and unknown ops, are error replies. State persists until reset.

            \(ExitCodes.discussion(success: "end of input",
                                   failure: "standard output could not be written"))
            """
    )

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let handler = SandboxProtocolHandler(session: limitOptions.makeSession())
        var input = StandardInputLines()
        while let line = input.next() {
            guard let reply = handler.handle(line: line) else { continue }
            do {
                try StandardStreams.writeOutput(reply + "\n")
            } catch {
                StandardStreams.writeError("rlm-plan sandbox-server: standard output closed (errno \(error.errno))\n")
                throw ExitCodes.failure
            }
        }
    }
}
