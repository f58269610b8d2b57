import ArgumentParser
import Foundation
import Sandbox

/// `rlm-plan fuzz` (hidden): feeds seeded hostile input to the reader, expander, compiler, VM,
/// printer and the sandbox protocol for a bounded time, and checks after each input that the
/// evaluation ended within its limits (plus slack) and that the session still answers with its
/// definitions intact. A crash or hang kills the process, so `scripts/fuzz.sh` reports the input
/// saved in `--current-file` before each run.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz the sandbox with seeded hostile input for a bounded time.",
        shouldDisplay: false
    )

    @Option(help: "Seconds to run.")
    var seconds: Double = 60

    @Option(help: "Seed of the input generator (the same seed gives the same inputs).")
    var seed: UInt64 = 1

    @Option(help: "Write each input here before running it (to report the one that crashed the process).")
    var currentFile: String?

    @Flag(help: "Print every input's outcome.")
    var verbose = false

    /// Limits of each fuzzed evaluation, and the slack allowed past the wall limit.
    static var fuzzLimits: Limits {
        var l = Limits()
        l.cpuSeconds = 0.5
        l.wallSeconds = 2
        l.memoryBytes = 96 << 20
        l.fuel = 20_000_000
        l.outputBytes = 1 << 20
        return l
    }
    static let slackSeconds = 2.5

    func validate() throws {
        if !(seconds > 0) { throw ValidationError("--seconds must be a positive number, not \(seconds).") }
    }

    func run() throws {
        var inputs = FuzzInputs(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var session = SandboxSession(limits: Self.fuzzLimits, seed: seed)
        var handler = SandboxProtocolHandler(session: session)
        var counts: [FuzzInputs.Kind: Int] = [:]
        var failures = 0
        var iteration = 0
        while Date() < deadline {
            iteration += 1
            if iteration % 40 == 0 {
                session = SandboxSession(limits: Self.fuzzLimits, seed: seed &+ UInt64(iteration))
                handler = SandboxProtocolHandler(session: session)
            }
            _ = session.eval("(define fuzz-kept \(iteration))")
            let kind = inputs.pick(FuzzInputs.Kind.allCases)
            let input: String
            switch kind {
            case .readerNoise: input = inputs.readerNoise()
            case .program: input = inputs.program()
            case .mutation: input = inputs.mutation()
            case .protocolLine: input = inputs.protocolLine()
            }
            if let currentFile {
                try? "seed \(seed) iteration \(iteration) \(kind.rawValue)\n\(input)\n".write(toFile: currentFile, atomically: false, encoding: .utf8)
            }
            counts[kind, default: 0] += 1
            let start = Date()
            let outcome: String
            if kind == .protocolLine {
                outcome = handler.handle(line: input).map { String($0.prefix(120)) } ?? "(no reply)"
            } else {
                let r = session.eval(input, sourceName: "fuzz")
                outcome = "\(r.status.rawValue) \((r.error?.message ?? r.result).prefix(120))"
            }
            let elapsed = Date().timeIntervalSince(start)
            var problems: [String] = []
            if elapsed > Self.fuzzLimits.wallSeconds + Self.slackSeconds {
                problems.append(String(format: "ran %.2f s, past the %.1f s wall limit", elapsed, Self.fuzzLimits.wallSeconds))
            }
            // A protocol `reset` forgets definitions by design: then the session need only answer.
            let wasReset = kind == .protocolLine && outcome.contains("sandbox reset")
            let check = session.eval(wasReset ? "(finish \(iteration))" : "(finish fuzz-kept)")
            if check.status != .finished || check.result != String(iteration) {
                problems.append("the session did not answer with its definitions afterwards: \(check.error?.message ?? check.result)")
            }
            if verbose || !problems.isEmpty {
                let head = "[\(iteration) \(kind.rawValue) \(String(format: "%.2f", elapsed)) s] \(outcome.replacingOccurrences(of: "\n", with: " "))"
                StandardStreams.writeError(head + "\n")
            }
            if !problems.isEmpty {
                failures += 1
                StandardStreams.writeError("FUZZ FAILURE (seed \(seed), iteration \(iteration)): \(problems.joined(separator: "; "))\n  input: \(input.prefix(400))\n")
            }
        }
        let summary = FuzzInputs.Kind.allCases.map { "\($0.rawValue) \(counts[$0, default: 0])" }.joined(separator: ", ")
        print("fuzz: \(iteration) inputs in \(Int(seconds)) s (seed \(seed); \(summary)); \(failures) failure(s)")
        if failures > 0 { throw ExitCodes.failure }
    }
}
