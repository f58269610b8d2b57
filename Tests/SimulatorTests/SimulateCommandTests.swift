import Foundation
import ModelServer
import Simulator
import TestSupport
import Testing

/// `rlm-plan simulate`, `calibrate`, `models` and `run --max-cost` through the built binary.
@Suite struct SimulateCommandTests {
    static let root = BuiltBinary.packageRoot

    func run(_ args: [String], env extra: [String: String] = [:], in directory: URL? = nil) throws -> BuiltBinary.Outcome {
        try BuiltBinary.run(args, environment: extra.mapValues { Optional($0) }, directory: directory)
    }

    var seed: String { Self.root.appendingPathComponent("examples/seeds/fan-out-tree.scm").path }
    var documents: String { Self.root.appendingPathComponent("examples/seeds/documents.txt").path }

    @Test func sameSeedSameBytesAndATimeline() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: svg) }
        let a = try run(["simulate", seed, "--context", documents, "--runs", "20", "--json", "--timeline", svg])
        let b = try run(["simulate", seed, "--context", documents, "--runs", "20", "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout)
        let c = try run(["simulate", seed, "--context", documents, "--runs", "20", "--json", "--seed", "7"])
        #expect(c.stdout != a.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        #expect((json["calls"] as? [String: Any])?["p50"] as? Int == 71)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
        // The library's Codable report reads the CLI's JSON, and prints the same bytes back.
        let report = try SimulationReport.decode(json: Data(a.stdout.utf8))
        #expect(report.runCount == 20)
        #expect(report.calls.p50 == 71)
        #expect(report.byModel.map(\.model).contains("gpt-4.1-nano"))
        #expect(try report.json() + "\n" == a.stdout)
        let text = try run(["simulate", seed, "--items", "12", "--item-tokens", "300"])
        #expect(text.stdout.contains("token counts exact"))
        #expect(text.stdout.contains("fan-out-tree.scm:8"))
        let badTier = try run(["simulate", seed, "--items", "3", "--tier", "tier-9"])
        #expect(badTier.status == 64)
        #expect(badTier.stderr.contains("unknown tier tier-9"))
    }

    @Test func jsonWarningsAreObjectsWithACode() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString).scm")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"(parameterize ([token-budget 500]) (llm-query #:data "x" #:model "my-local-llama"))"#.write(to: file, atomically: true, encoding: .utf8)
        // A loopback provider: no usage tier is assumed, so the budget is the only warning.
        let r = try run(["simulate", file.path, "--json"], env: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let warnings = try #require(json["warnings"] as? [[String: Any]])
        #expect(warnings.compactMap { $0["code"] as? String } == ["budget_exceeded"])
        #expect((warnings.first?["message"] as? String)?.contains("token budget exceeded") == true)
    }

    @Test func maxCostRefusesBeforeSendingAnything() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("mc-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        let refused = try run(["run", seed, "--context", documents, "--max-cost", "$0.0001", "--store", store],
                              env: ["OPENAI_BASE_URL": server.baseURL])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("over --max-cost $0.0001"))
        #expect(server.requestsReceived == 0)
        let allowed = try run(["run", seed, "--context", documents, "--max-cost", "5", "--store", store, "--quiet"],
                              env: ["OPENAI_BASE_URL": server.baseURL])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(server.requestsReceived == 71)
    }

    @Test func calibrateWritesProfilesTheSimulatorUses() throws {
        let server = LocalModelServer(behavior: .fixedLatency(0.01))
        try server.start()
        defer { server.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try run(["calibrate"], in: dir)
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("run strategies with `rlm-plan run` first"))
        let r = try run(["run", seed, "--context", documents, "--quiet"], env: ["OPENAI_BASE_URL": server.baseURL], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let cal = try run(["calibrate"], in: dir)
        #expect(cal.status == 0, "\(cal.stderr)")
        #expect(cal.stdout.contains("gpt-4.1-nano: 36 calls"))
        let file = dir.appendingPathComponent(".rlm/calibration.json").path
        #expect(FileManager.default.fileExists(atPath: file))
        let models = try run(["models", "--json"], in: dir)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [String: Any])
        // The echo server's replies are short: the calibrated reply length replaces the prior's.
        let nano = try #require(json["gpt-4.1-nano"] as? [String: Any])
        #expect((nano["reply_tokens"] as? Double ?? 999) < 100)
    }

    @Test func modelsListsAliasesAndOverrides() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"my-llama": {"input_cost_per_token": 0, "output_cost_per_token": 0, "max_input_tokens": 8192, "ttft_s": 0.2, "output_tokens_per_s": 40, "rpm": 600}, "aliases": {"cheap": "my-llama"}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try run(["models", "--models", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("my-llama"))
        #expect(r.stdout.contains("cheap → my-llama"))
        #expect(r.stdout.contains("fast → gpt-4o-mini"))
        let bad = try run(["models", "--models", "/nonexistent.json"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("/nonexistent.json"))
    }
}
