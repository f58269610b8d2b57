import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ModelServer

/// `rlm-plan mock-server`: the local OpenAI-compatible echo model (`LocalModelServer`) as a
/// process, for demos without an API key and for benchmarks (`OPENAI_BASE_URL` points at it).
struct MockServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-server",
        abstract: "Serve a deterministic OpenAI-compatible echo model on 127.0.0.1.",
        discussion: """
            Prints `listening on http://127.0.0.1:PORT/v1` on one line, then answers \
            POST /v1/chat/completions until it is killed. The answer is `Reply to: ` and the \
            first 60 characters of the last user message (in JSON mode, a JSON object with \
            that text as "answer"); usage counts one token per 4 characters. Use the printed \
            URL as OPENAI_BASE_URL; no API key is needed.

            \(ExitCodes.discussion(success: "never (the server runs until it is killed)",
                                   failure: "the port could not be bound"))
            """
    )

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(name: .customLong("latency-ms"), help: "Milliseconds every answer waits.")
    var latencyMilliseconds: Double = 0

    @Option(name: .customLong("jitter-ms"), help: "Up to this many more milliseconds, drawn at random per request.")
    var jitterMilliseconds: Double = 0

    @Option(help: "Seed for the random jitter (same seed, same delays in arrival order).")
    var seed: UInt64 = 0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard latencyMilliseconds >= 0, latencyMilliseconds.isFinite else { throw ValidationError("--latency-ms must be 0 or more.") }
        guard jitterMilliseconds >= 0, jitterMilliseconds.isFinite else { throw ValidationError("--jitter-ms must be 0 or more.") }
    }

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let latency = latencyMilliseconds / 1000
        let behavior: ServerBehavior = jitterMilliseconds > 0
            ? .randomLatency(latency...(latency + jitterMilliseconds / 1000), seed: seed)
            : .fixedLatency(latency)
        let server = LocalModelServer(port: UInt16(port), behavior: behavior)
        do {
            try server.start()
        } catch {
            StandardStreams.writeError("rlm-plan mock-server: \(error)\n")
            throw ExitCodes.failure
        }
        do {
            try StandardStreams.writeOutput("listening on \(server.baseURL)\n")
        } catch {
            throw ExitCodes.failure
        }
        while true { pause() }
    }
}
