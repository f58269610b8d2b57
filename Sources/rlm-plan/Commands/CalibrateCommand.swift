import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// `rlm-plan calibrate`: fits each model's reply-length and latency profile to the calls that
/// real runs recorded in the store; the simulator then predicts from these figures.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the simulator's model profiles to the calls real runs recorded.",
        discussion: """
            Reads every call `rlm-plan run` recorded in the store and writes, per model, the \
            reply length and latency profile to OUT (default \(Calibration.defaultPath)), which \
            `rlm-plan simulate` and `rlm-plan run` read when present. A model with at least \
            \(Calibration.minimumCalls) successful calls is fitted; one with fewer moves its prior \
            by what its calls showed, weighted by their number. The file also keeps the rate \
            limits the server reported (x-ratelimit-limit-*) and the share of attempts retried.
            """
    )

    @Option(name: .customLong("store"), help: ArgumentHelp("The workspace database (default: $RLM_STORE, else .rlm/state.sqlite).", valueName: "FILE"))
    var store: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Where to write the fitted profiles.", valueName: "FILE"))
    var out: String = Calibration.defaultPath

    @Option(name: .customLong("models"), help: ArgumentHelp("Models file whose figures are the priors (default: $RLM_MODELS, else $RLM_MODELS_FILE).", valueName: "FILE"))
    var models: String?

    func run() throws {
        let records: [CallRecord]
        do { records = try TraceArchive.records(storePath: store) } catch { throw ValidationError("\(error)") }
        // The priors are the embedded table and the user's file, never an earlier calibration
        // (which would count the same calls twice).
        let prior: ModelBehaviorTable
        do { prior = try ModelRegistry.load(path: models, calibration: nil).behaviors } catch { throw ValidationError("\(error)") }
        let fits = Calibration.fit(records, prior: prior)
        guard !fits.isEmpty else {
            StandardStreams.writeError("rlm-plan: no successful recorded call yet (\(records.count) calls in the store); run strategies with `rlm-plan run` first\n")
            throw ExitCodes.failure
        }
        let url = URL(fileURLWithPath: out)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Calibration.file(fits).write(to: url, atomically: true, encoding: .utf8)
        var lines = ["Calibrated \(fits.count) model\(fits.count == 1 ? "" : "s") from \(records.count) recorded calls → \(out)"]
        for f in fits {
            let b = f.behavior
            let how = f.fitted ? "fitted" : "prior moved"
            var line = String(format: "  %@: %d calls (%@); reply ≈ %.0f tokens (σ %.2f); latency ≈ %.2f s + %.3f s/1k prompt + %.0f tokens/s (σ %.2f)",
                              f.model, f.calls, how, b.replyTokens, b.replySpread, b.ttftSeconds, b.ttftSecondsPerKiloToken,
                              b.outputTokensPerSecond, b.latencySpread)
            if let rate = b.errorRate { line += String(format: "; %.1f%% of attempts retried", rate * 100) }
            if f.observedRPM != nil || f.observedTPM != nil {
                line += "; server limits \(f.observedRPM.map { "\($0) rpm" } ?? "?"), \(f.observedTPM.map { "\($0) tpm" } ?? "?")"
            }
            lines.append(line)
        }
        try? StandardStreams.writeOutput(lines.joined(separator: "\n") + "\n")
    }
}
