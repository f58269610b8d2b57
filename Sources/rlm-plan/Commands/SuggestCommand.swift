import ArgumentParser
import Dispatch
import Foundation
import Planner
import Sandbox
import Simulator
#if canImport(Glibc)
import Glibc
#endif

/// `rlm-plan suggest`: ranked strategies for a task, every estimate simulated.
struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Plan a task: ranked strategies whose code runs and whose estimates are simulated.",
        discussion: """
            Instantiates the pattern library (patterns/, found via $RLM_PLAN_HOME, the executable's \
            location or the current directory) for the task, simulates each candidate on data of the \
            task's shape (or on --context) — once on a scaled-down sample when its cost grows with the \
            items, else at full scale — ranks those that meet the constraints by --priority, and runs \
            what the plan shows at full scale (--runs Monte Carlo runs for the recommendation and the \
            alternatives). simulated_on says what each figure rests on. No model is called unless --pilot or --llm ask for it. Same inputs, same \
            output, byte for byte.

            \(ExitCodes.discussion(success: "a plan was made (it may say feasible: false)",
                                   failure: "planning failed (no patterns, a pilot or LLM call failed)",
                                   usage: "bad option value, or a request field the planner cannot read"))
            """
    )

    @OptionGroup var request: PlanRequestOptions
    @OptionGroup var planning: PlanningOptions

    @Option(name: .customLong("pilot"), help: ArgumentHelp("Run the top candidates for real on N sampled items of --context, calibrate, re-simulate (needs a provider).", valueName: "N"))
    var pilot: Int?

    @Flag(name: .customLong("llm"), help: "Also ask a model for creative compositions (needs a provider; its cost is shown).")
    var llm = false

    @Option(name: .customLong("llm-model"), help: ArgumentHelp("The model --llm asks (default gpt-4o).", valueName: "M"))
    var llmModel = "gpt-4o"

    func validate() throws {
        if let pilot {
            if pilot <= 0 { throw ValidationError("--pilot must be a positive whole number, not \(pilot).") }
            if request.context == nil { throw ValidationError("--pilot needs --context FILE: the pilot runs on a sample of the real data.") }
        }
    }

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        var options = try planning.options()
        if let pilot {
            options.pilot = PilotSettings(items: pilot, makeGateway: { try ModelOptions.parse([]).makeGateway() })
        }
        if llm {
            options.llm = LLMSettings(model: llmModel, makeGateway: { try ModelOptions.parse([]).makeGateway() })
        }
        let req = try request.request()
        let settings = options
        let plan = try PlannerCall.wait { try await Planner.plan(req, options: settings) }
        try PlannerCall.write(planning.json ? plan.json() + "\n" : plan.text())
    }
}

/// The request fields `suggest`, `clarify` and `finalize` share (the original's seven inputs).
struct PlanRequestOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("What the strategy must do, in plain words.", valueName: "TASK"))
    var task: String

    @Option(name: .customLong("data"), help: ArgumentHelp("The data's shape: \"~5KB per paper, 1MB total\", \"500 Python files\".", valueName: "TEXT"))
    var data: String?

    @Option(name: .customLong("context"), help: ArgumentHelp("The real data (JSON array of strings or blank-line paragraphs); profiled instead of --data.", valueName: "FILE"))
    var context: String?

    @Option(name: .customLong("constraints"), help: ArgumentHelp("Limits: \"under $2\", \"within 5 minutes\", \"only gpt-4o-mini\".", valueName: "TEXT"))
    var constraints: String?

    @Option(name: .customLong("priority"), help: ArgumentHelp("speed, cost, quality or balanced (default).", valueName: "P"))
    var priority: String?

    @Option(name: .customLong("scale"), help: ArgumentHelp("minimal, small, medium, large or comprehensive.", valueName: "S"))
    var scale: String?

    @Option(name: .customLong("min-outputs"), help: ArgumentHelp("The fewest outputs a plan may produce.", valueName: "N"))
    var minOutputs: Int?

    @Option(name: .customLong("coverage"), help: ArgumentHelp("Share of the items a plan must cover: 80%, 0.8, all.", valueName: "C"))
    var coverage: String?

    func validate() throws {
        if let context, !FileManager.default.isReadableFile(atPath: context) { throw ValidationError("Cannot read \(context)") }
        if let minOutputs, minOutputs < 0 { throw ValidationError("--min-outputs must be 0 or more, not \(minOutputs).") }
    }

    func request() throws -> PlanRequest {
        var text: String?
        if let context {
            guard let data = FileManager.default.contents(atPath: context) else { throw ValidationError("Cannot read \(context)") }
            text = String(decoding: data, as: UTF8.self)
        }
        return PlanRequest(taskDescription: task, dataCharacteristics: data, constraints: constraints, priority: priority,
                           scale: scale, minOutputs: minOutputs, coverageTarget: coverage, context: text)
    }
}

/// How planning runs and prints.
struct PlanningOptions: ParsableArguments {
    @Option(name: .customLong("seed"), help: ArgumentHelp("The first simulation seed.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(name: .customLong("runs"), help: ArgumentHelp("Monte Carlo runs per candidate (default 5).", valueName: "N"))
    var runs = 5

    @Option(name: .customLong("models"), help: ArgumentHelp("Model overrides and aliases (default: $RLM_MODELS).", valueName: "FILE"))
    var models: String?

    @Option(name: .customLong("patterns"), help: ArgumentHelp("The pattern directory (default: the located patterns/).", valueName: "DIR"))
    var patterns: String?

    @Flag(name: .customLong("json"), help: "Print one JSON object (the plan_strategy schema) instead of the table.")
    var json = false

    func validate() throws {
        if runs <= 0 { throw ValidationError("--runs must be a positive whole number, not \(runs).") }
        if let models, !FileManager.default.isReadableFile(atPath: models) { throw ValidationError("Cannot read \(models)") }
    }

    func options() throws -> PlanOptions {
        var options = PlanOptions(seed: seed, runs: runs)
        options.registry = .file(models)
        if let patterns {
            do { options.library = try PatternLibrary.load(directory: URL(fileURLWithPath: patterns)) } catch { throw ValidationError("\(error)") }
        }
        if isatty(STDERR_FILENO) != 0 {
            options.progress = { p in
                StandardStreams.writeError(p.current.isEmpty ? "\r\u{1B}[K" : "\r\u{1B}[Ksimulating \(p.done + 1)/\(p.total): \(p.current)")
            }
        }
        return options
    }
}

/// Runs the planner's async API from the synchronous command tree and maps its errors.
enum PlannerCall {
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        switch box.result {
        case .success(let value)?: return value
        case .failure(let error as PlannerError)?: throw ValidationError(error.description)
        case .failure(let error)?:
            StandardStreams.writeError("rlm-plan: \(error)\n")
            throw ExitCodes.failure
        case nil: throw ExitCodes.failure
        }
    }

    static func write(_ text: String) throws {
        do { try StandardStreams.writeOutput(text) } catch { throw ExitCodes.failure }
    }

    final class ResultBox<T>: @unchecked Sendable { var result: Result<T, any Error>? }
}
