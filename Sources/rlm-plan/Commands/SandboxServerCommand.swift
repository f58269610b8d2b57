import ArgumentParser
import Sandbox

/// `rlm-plan sandbox-server`: the JSON-lines protocol of the original Racket sandbox
/// (reference §4.5, §4.9) on standard input and output, in callback mode (§4.8): the host that
/// drives it owns model calls, checkpoints and heartbeats. The protocol itself lives in
/// `SandboxProtocolHandler`; this is only the wiring of the standard streams.
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

            The host owns model calls, as with the original racket_server.rkt: during an eval, \
            llm-query, await, map-async, tokens-used, rate-limits, checkpoint, restore and \
            heartbeat write a callback line (a JSON object with an "op" field) and, except \
            llm-query-async, take the next input line as the host's reply.

            \(ExitCodes.discussion(success: "end of input",
                                   failure: "standard output could not be written"))
            """
    )

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let streams = StandardStreamLines()
        let channel = CallbackChannel(input: streams, output: streams)
        let handler = SandboxProtocolHandler(session: limitOptions.makeSession(callbacks: channel))
        do {
            try handler.serve(input: streams, output: streams)
        } catch let error as StandardStreams.WriteError {
            StandardStreams.writeError("rlm-plan sandbox-server: standard output closed (errno \(error.errno))\n")
            throw ExitCodes.failure
        }
    }
}

/// Standard input and output as protocol lines: commands and callback replies come from one
/// buffered reader, so none is lost between them; every line is written at once.
private final class StandardStreamLines: ProtocolLineSource, ProtocolLineSink {
    private var input = StandardInputLines()

    func nextLine() -> String? { input.next() }

    func write(line: String) throws {
        try StandardStreams.writeOutput(line + "\n")
    }
}
