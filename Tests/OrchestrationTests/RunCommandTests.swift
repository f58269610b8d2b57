import Foundation
import ModelServer
import Testing

/// `rlm-plan run` end to end: the built binary against a local OpenAI-compatible server.
@Suite struct RunCommandTests {
    static let binary: URL? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var candidates = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rlm-plan")]
        while dir.path != "/" {
            candidates.append(dir.appendingPathComponent(".build/debug/rlm-plan"))
            dir.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/seeds")

    struct Outcome { let status: Int32; let stdout: String; let stderr: String }

    func launch(_ args: [String], server: LocalModelServer, store: String) throws -> Process {
        let p = Process()
        p.executableURL = try #require(Self.binary)
        p.arguments = ["run"] + args + ["--store", store]
        var env = ProcessInfo.processInfo.environment
        env["OPENAI_BASE_URL"] = server.baseURL
        env["OPENAI_API_KEY"] = nil
        p.environment = env
        p.currentDirectoryURL = FileManager.default.temporaryDirectory
        return p
    }

    func run(_ args: [String], server: LocalModelServer, store: String) throws -> Outcome {
        let p = try launch(args, server: server, store: store)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
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
