import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// `rlm-plan simulate`: dry-runs a strategy against the mock provider on a virtual clock and
/// reports tokens, dollars and latency (with their spread over `--runs`), before any real call.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Estimate a strategy's tokens, dollars and latency without calling any model.",
        discussion: """
            Runs FILE unmodified in the real runtime against a mock provider on a virtual clock: \
            replies have sampled lengths (or come from --fixtures), calls take the time the model's \
            latency profile gives, rate limits and concurrency windows apply. Same seed, same \
            report, byte for byte.

            \(ExitCodes.discussion(success: "the simulation ran (the report may carry warnings)",
                                   failure: "the report could not be produced",
                                   usage: "bad option value, FILE, --context, --fixtures or --models unreadable"))
            """
    )

    @Argument(help: ArgumentHelp("The strategy to simulate.", valueName: "FILE"), completion: .file(extensions: ["scm"]))
    var file: String

    @Option(name: .customLong("runs"), help: ArgumentHelp("Monte Carlo runs (seeds SEED, SEED+1, …).", valueName: "N"))
    var runs: Int = 1

    @Option(name: .customLong("seed"), help: ArgumentHelp("The first run's seed.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(name: .customLong("context"), help: ArgumentHelp("Use this file's text as `context` (the real data).", valueName: "FILE"))
    var contextFile: String?

    @Option(name: .customLong("items"), help: ArgumentHelp("Without --context: synthesise N items (paragraphs) as `context`.", valueName: "N"))
    var items: Int?

    @Option(name: .customLong("item-chars"), help: ArgumentHelp("Characters per synthesised item (default 2000).", valueName: "C"))
    var itemChars: Int?

    @Option(name: .customLong("item-tokens"), help: ArgumentHelp("Tokens per synthesised item (exact, in o200k_base).", valueName: "T"))
    var itemTokens: Int?

    @Option(name: .customLong("model"), help: ArgumentHelp("Model for calls whose #:model is \"\" (default: $RLM_SUB_MODEL, else gpt-4o).", valueName: "M"))
    var model: String?

    @Option(name: .customLong("max-concurrent"), help: ArgumentHelp("Calls in flight at once (as for run).", valueName: "N"))
    var maxConcurrent: Int = 64

    @Option(name: .customLong("fixtures"), help: ArgumentHelp("Steer replies: a JSON array of {instruction, data, model, text | texts | tokens, probability}.", valueName: "FILE"))
    var fixtures: String?

    @Option(name: .customLong("models"), help: ArgumentHelp("Model latency, reply-length and rate-limit overrides and aliases (default: $RLM_MODELS).", valueName: "FILE"))
    var models: String?

    @Option(name: .customLong("tier"), help: ArgumentHelp("The account's usage tier for rate limits (tier-1 … tier-5; default: $RLM_TIER, else tier-1 assumed only for the OpenAI and Anthropic servers).", valueName: "T"))
    var tier: String?

    @Option(name: .customLong("rpm"), help: ArgumentHelp("Requests per minute for every model (default: $RLM_RPM).", valueName: "N"))
    var rpm: Int?

    @Option(name: .customLong("tpm"), help: ArgumentHelp("Tokens per minute for every model (default: $RLM_TPM).", valueName: "N"))
    var tpm: Int?

    @Option(name: .customLong("error-rate"), help: ArgumentHelp("Fail this fraction of attempts transiently (429/503), retried as a real run would.", valueName: "R"))
    var errorRate: Double?

    @Flag(name: .customLong("json"), help: "Print one JSON object instead of the table.")
    var json = false

    @Option(name: .customLong("timeline"), help: ArgumentHelp("Write a Gantt chart of the first run as SVG.", valueName: "FILE.svg"))
    var timeline: String?

    @Option(name: .customLong("compare"), help: ArgumentHelp("Print predicted against actual for a run recorded with `run --trace`.", valueName: "TRACE.json"))
    var compare: String?

    func validate() throws {
        if runs <= 0 { throw ValidationError("--runs must be a positive whole number, not \(runs).") }
        if maxConcurrent <= 0 { throw ValidationError("--max-concurrent must be a positive whole number, not \(maxConcurrent).") }
        if contextFile != nil && items != nil { throw ValidationError("Give either --context or --items, not both.") }
        if let items, items <= 0 { throw ValidationError("--items must be a positive whole number, not \(items).") }
        if let errorRate, !(errorRate >= 0 && errorRate <= 1) { throw ValidationError("--error-rate must be from 0 to 1, not \(errorRate).") }
        try WorldSetup.validate(rpm: rpm, tpm: tpm)
        for path in [file] + [contextFile, fixtures, models].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("Cannot read \(path)")
        }
    }

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        guard let source = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file)") }
        var options = try SimulationSetup.options(model: model, models: models, tier: tier, rpm: rpm, tpm: tpm)
        options.errorRate = errorRate
        options.seed = seed
        options.runs = runs
        options.maxInFlight = maxConcurrent
        if let contextFile {
            guard let text = FileManager.default.contents(atPath: contextFile) else { throw ValidationError("Cannot read \(contextFile)") }
            options.context = String(decoding: text, as: UTF8.self)
        } else if let items {
            options.dataShape = itemTokens.map { .itemTokens(count: items, tokens: $0) } ?? .items(count: items, chars: itemChars ?? 2000)
        }
        if let fixtures {
            do { options.fixtures = try FixtureSet.load(path: fixtures) } catch { throw ValidationError("\(error)") }
        }
        do { try options.validate() } catch { throw ValidationError("\(error)") }
        let report: SimulationReport
        do {
            report = try Simulation.simulateSynchronously(program: String(decoding: source, as: UTF8.self), sourceName: file, options: options)
        } catch {
            StandardStreams.writeError("rlm-plan: cannot simulate \(file): \(error)\n")
            throw ExitCodes.failure
        }
        do {
            if let compare {
                try StandardStreams.writeOutput(try TraceComparison.text(report: report, tracePath: compare))
            } else {
                try StandardStreams.writeOutput(json ? try report.json() + "\n" : report.text())
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw ExitCodes.failure
        }
        if let timeline, let first = report.runs.first {
            do { try Timeline.svg(first).write(toFile: timeline, atomically: true, encoding: .utf8) } catch {
                StandardStreams.writeError("cannot write \(timeline): \(error.localizedDescription)\n")
                throw ExitCodes.failure
            }
        }
    }
}

/// The simulation options every command shares: registry (with calibration), rate limits as a
/// real run against `OPENAI_BASE_URL` would have them, the real run's retry policy.
enum SimulationSetup {
    /// `SimulationOptions.standard` (registry, retry policy, rate limits of OPENAI_BASE_URL), with
    /// `--tier` and `--rpm`/`--tpm` over the environment's.
    static func options(model: String?, models: String?, tier: String? = nil, rpm: Int? = nil, tpm: Int? = nil) throws -> SimulationOptions {
        var options: SimulationOptions
        do { options = try SimulationOptions.standard(model: model, modelsFile: models) } catch { throw ValidationError("\(error)") }
        if rpm != nil || tpm != nil {
            options.rateLimits.explicitRPM = rpm.flatMap { $0 > 0 ? $0 : nil }
            options.rateLimits.explicitTPM = tpm.flatMap { $0 > 0 ? $0 : nil }
            options.rateLimits.explicitSource = "--rpm/--tpm"
        }
        if let tier { options.tier = tier }
        return options
    }
}
