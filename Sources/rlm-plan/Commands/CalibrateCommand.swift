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
            Reads every call `rlm-plan run` recorded in the store and writes, per model with at \
            least \(Calibration.minimumCalls) successful calls, the fitted reply length and latency \
            to OUT (default \(Calibration.defaultPath)), which `rlm-plan simulate` reads when present.
            """
    )

    @Option(name: .customLong("store"), help: ArgumentHelp("The workspace database (default: $RLM_STORE, else .rlm/state.sqlite).", valueName: "FILE"))
    var store: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Where to write the fitted profiles.", valueName: "FILE"))
    var out: String = Calibration.defaultPath

    func run() throws {
        let records: [CallRecord]
        do { records = try TraceArchive.records(storePath: store) } catch { throw ValidationError("\(error)") }
        let fits = Calibration.fit(records, prior: .embedded)
        guard !fits.isEmpty else {
            StandardStreams.writeError("rlm-plan: no model has \(Calibration.minimumCalls) successful recorded calls yet (\(records.count) calls in the store); run strategies with `rlm-plan run` first\n")
            throw ExitCodes.failure
        }
        let url = URL(fileURLWithPath: out)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Calibration.file(fits).write(to: url, atomically: true, encoding: .utf8)
        var lines = ["Calibrated \(fits.count) model\(fits.count == 1 ? "" : "s") from \(records.count) recorded calls → \(out)"]
        for f in fits {
            let b = f.behavior
            lines.append(String(format: "  %@: %d calls; reply ≈ %.0f tokens (σ %.2f); latency ≈ %.2f s + %.3f s/1k prompt + %.0f tokens/s (σ %.2f)",
                                f.model, f.calls, b.replyTokens, b.replySpread, b.ttftSeconds, b.ttftSecondsPerKiloToken, b.outputTokensPerSecond, b.latencySpread))
        }
        try? StandardStreams.writeOutput(lines.joined(separator: "\n") + "\n")
    }
}
