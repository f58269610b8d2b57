import Foundation
import ModelServer
import TestSupport
import Testing

/// `rlm-plan run` end to end: the built binary against a local OpenAI-compatible server.
@Suite struct RunCommandTests {
    static let seeds = BuiltBinary.packageRoot.appendingPathComponent("examples/seeds")

    func launch(_ args: [String], server: LocalModelServer, store: String) throws -> Process {
        try BuiltBinary.process(["run"] + args + ["--store", store], environment: ["OPENAI_BASE_URL": server.baseURL])
    }

    func run(_ args: [String], server: LocalModelServer, store: String) throws -> BuiltBinary.Outcome {
        try BuiltBinary.run(["run"] + args + ["--store", store], environment: ["OPENAI_BASE_URL": server.baseURL])
    }

    func temporaryStore() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).sqlite").path
    }

    @Test(arguments: ["fan-out-tree", "critique-refine", "active-learning", "fan-out-aggregate"])
    func seedExamplesRunEndToEnd(_ name: String) throws {
        let server = LocalModelServer(behavior: .outOfOrder(maxDelay: 0.005, seed: 3))
        try server.start()
        defer { server.stop() }
        let store = temporaryStore()
        let trace = store + ".trace.json"
        defer { try? FileManager.default.removeItem(atPath: store); try? FileManager.default.removeItem(atPath: trace) }
        let r = try run([Self.seeds.appendingPathComponent("\(name).scm").path,
                         "--context", Self.seeds.appendingPathComponent("documents.txt").path, "--trace", trace],
                        server: server, store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Reply to:"))
        #expect(r.stderr.contains("rlm-plan: \(server.requestsReceived) calls"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace))) as? [String: Any]
        #expect((json?["records"] as? [Any])?.count == server.requestsReceived)
        #expect(json?["status"] as? String == "finished")
    }

    @Test func resumeAfterKillReplaysCompletedCalls() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let store = temporaryStore()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(atPath: store) }
        let script = dir.appendingPathComponent("strategy.scm")
        try #"(define rs (map-async (lambda (i) (llm-query-async #:data (number->string i))) (range 5))) (display "calls done\n") (sleep 600) (finish rs)"#
            .write(to: script, atomically: true, encoding: .utf8)
        let first = try launch([script.path, "--quiet"], server: server, store: store)
        let out = Pipe()
        first.standardOutput = out
        first.standardError = FileHandle.nullDevice
        try first.run()
        // Wait until the five calls are answered (the process then sleeps), then kill -9.
        for _ in 0..<500 where server.requestsReceived < 5 { usleep(10_000) }
        usleep(200_000)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(server.requestsReceived == 5)
        // The fixed strategy (no sleep) resumes: the same five calls come from the journal.
        try #"(finish (map-async (lambda (i) (llm-query-async #:data (number->string i))) (range 5)))"#
            .write(to: script, atomically: true, encoding: .utf8)
        let r = try run([script.path, "--resume"], server: server, store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requestsReceived == 5)
        #expect(r.stderr.contains("5 calls (5 replayed)"), "\(r.stderr)")
        // Without --resume the calls are paid for again.
        _ = try run([script.path], server: server, store: store)
        #expect(server.requestsReceived == 10)
    }
}
