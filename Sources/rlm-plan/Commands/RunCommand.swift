import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// `rlm-plan run`: runs a strategy against the configured provider, with a live progress line,
/// a final summary, an optional call trace, and `--resume` after a crash.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Scheme strategy against the configured model provider.",
        usage: "rlm-plan run FILE.scm [--context FILE] [--model M] [--max-concurrent N] [--trace FILE.json] [--resume] [--json]",
        discussion: """
            The provider is any OpenAI-compatible server: OPENAI_BASE_URL (default \
            https://api.openai.com/v1) and OPENAI_API_KEY, from the environment or a .env file. \
            Every completed call is journaled in the store under the script's path, so after a \
            crash or an interrupt `--resume` replays those calls instead of paying for them again. \
            A progress line (calls done, in flight, queued for a slot, waiting for rate-limit \
            capacity, tokens, dollars) is shown on a terminal; a summary goes to standard error at \
            the end. The first Ctrl-C interrupts the program (calls in flight are cancelled, the \
            summary and trace are still written); a second one quits at once. With --json, \
            standard output is one JSON object: status, value, stdout, error, calls, \
            input_tokens, output_tokens, cost_usd, elapsed_s, by_model.

            \(ExitCodes.discussion(success: "the program ran (status ok or finished)",
                                   failure: "Scheme error, failed model call not handled, or resource limit",
                                   usage: "bad option value, FILE or --context unreadable"))
              130 interrupted (Ctrl-C)
            """
    )

    @Argument(help: ArgumentHelp("The strategy to run.", valueName: "FILE"), completion: .file(extensions: ["scm"]))
    var file: String

    @Option(name: .customLong("context"), help: ArgumentHelp("Load this file's text as `context`.", valueName: "FILE"))
    var contextFile: String?

    @Option(name: .customLong("trace"), help: ArgumentHelp("Write the call trace as JSON to this file.", valueName: "FILE.json"))
    var trace: String?

    @Flag(name: .customLong("resume"), help: "Replay the calls an earlier run of FILE completed instead of sending them again.")
    var resume = false

    @Flag(name: .customLong("quiet"), help: "No progress line and no summary.")
    var quiet = false

    @Flag(name: .customLong("json"), help: "Print the outcome as one JSON object (status, value, stdout, error, calls, tokens, cost, time, per model).")
    var json = false

    @Option(name: .customLong("max-cost"), help: ArgumentHelp("Simulate first (20 runs) and refuse to run when the p95 cost exceeds this many dollars.", valueName: "$X"))
    var maxCost: String?

    @OptionGroup(title: "Models")
    var modelOptions: ModelOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    /// `--max-cost` in dollars (`$0.50` or `0.5`).
    var maxCostDollars: Double? {
        guard let maxCost else { return nil }
        return Double(maxCost.hasPrefix("$") ? String(maxCost.dropFirst()) : maxCost)
    }

    func validate() throws {
        if maxCost != nil, !(maxCostDollars.map { $0 > 0 } ?? false) {
            throw ValidationError("--max-cost must be a positive number of dollars such as 0.50 or $2, not \(maxCost ?? "")")
        }
        for path in [file] + (contextFile.map { [$0] } ?? []) where !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("Cannot read \(path)")
        }
    }

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file)") }
        let code = String(decoding: data, as: UTF8.self)
        let contextText = try contextFile.map { path -> String in
            guard let text = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read \(path)") }
            return String(decoding: text, as: UTF8.self)
        }
        if let limit = maxCostDollars { try checkCost(code, context: contextText, limit: limit) }
        let journal = "run:" + URL(fileURLWithPath: file).standardizedFileURL.path
        let runID = "\(journal)@\(Int(Date().timeIntervalSince1970 * 1000))"
        let gateway = try modelOptions.makeGateway(journal: journal, replay: resume, runID: runID)
        var limits = limitOptions.limits
        // A strategy waits on models for minutes; only an explicit --wall-seconds bounds it tighter.
        if limitOptions.wallSeconds == nil { limits.wallSeconds = 86_400 }
        let session = SandboxSession(limits: limits, seed: limitOptions.seed, storePath: modelOptions.store,
                                     gateway: gateway)
        if !resume { session.clearJournal(journal) }
        if let contextText { _ = session.loadContext(contextText) }
        let progress = RunProgress(enabled: !quiet && isatty(2) != 0)
        let events = session.events()
        let follower = Task { for await event in events { progress.update(event) } }
        let interrupts = RunInterruptHandler(session: session)
        let result = RunCommand.wait { await session.evaluate(code, sourceName: file) }
        interrupts.cancel()
        follower.cancel()
        progress.finish()
        do {
            if json {
                try StandardStreams.writeOutput(try RunJSON.text(result))
            } else {
                try StandardStreams.writeOutput(result.stdout)
                if result.status == .finished { try StandardStreams.writeOutput((result.value ?? "") + "\n") }
            }
        } catch {
            throw ExitCodes.failure
        }
        if let error = result.error, !json {
            StandardStreams.writeError(error.description + "\n")
        }
        if !quiet { StandardStreams.writeError(RunProgress.summary(result) + "\n") }
        if let trace {
            do {
                try RunTrace.json(records: session.callRecords, result: result)
                    .write(to: URL(fileURLWithPath: trace), atomically: true, encoding: .utf8)
            } catch {
                StandardStreams.writeError("cannot write the trace to \(trace): \(error.localizedDescription)\n")
                throw ExitCodes.failure
            }
        }
        let status = ExitCodes.status(of: result)
        if status != ExitCodes.success { throw status }
    }

    /// Blocks this (synchronous) command until `body` is done on the cooperative pool.
    private static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let slot = ResultSlot<T>()
        let done = DispatchSemaphore(value: 0)
        Task { slot.value = await body(); done.signal() }
        done.wait()
        guard let value = slot.value else { preconditionFailure("the awaited task ended without a value") }
        return value
    }

    /// Simulates the strategy and refuses (exit 1, nothing sent) when its p95 cost is over `limit`.
    private func checkCost(_ code: String, context: String?, limit: Double) throws {
        var options = try SimulationSetup.options(model: modelOptions.model, models: modelOptions.models, tier: modelOptions.tier,
                                                  rpm: modelOptions.rpm, tpm: modelOptions.tpm)
        options.runs = 20
        options.maxInFlight = modelOptions.maxConcurrent
        options.context = context
        let report = Simulation.simulate(program: code, sourceName: file, options: options)
        let p95 = report.cost.p95
        if p95 > limit {
            StandardStreams.writeError(String(format: "rlm-plan: not running %@: its simulated cost is $%.4f at p95 ($%.4f at p50, 20 runs), over --max-cost $%.4f; see `rlm-plan simulate %@` for where it goes\n",
                                              file, p95, report.cost.p50, limit, file))
            throw ExitCodes.failure
        }
        if !quiet {
            StandardStreams.writeError(String(format: "rlm-plan: simulated cost $%.4f at p95, within --max-cost $%.4f\n", p95, limit))
        }
    }
}

/// Hands a task's result to the thread that waits for it (written before the semaphore signals).
private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}
