import Foundation
import ModelServer
import TestSupport
import Testing

/// `rlm-plan run` on the session host API: Ctrl-C, `--resume` after it, `--json`.
@Suite struct RunCommandHostTests {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("run-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `rlm-plan run` with `args` against `server`, its store in `dir`.
    func run(_ args: [String], server: LocalModelServer, dir: URL) throws -> BuiltBinary.Outcome {
        try BuiltBinary.run(["run"] + args + ["--store", dir.appendingPathComponent("store.sqlite").path],
                            environment: ["OPENAI_BASE_URL": server.baseURL])
    }

    /// The number before `label` in a summary line (`… 57 replayed …` → 57).
    func count(_ label: String, in text: String) -> Int? {
        guard let regex = try? NSRegularExpression(pattern: "([0-9]+) \(label)"),
              let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(m.range(at: 1), in: text) else { return nil }
        return Int(text[range])
    }

    @Test func sigintStopsA200CallRunWithinASecondAndResumeFinishesWithoutResending() throws {
        let server = LocalModelServer(behavior: .fixedLatency(0.1))
        try server.start()
        defer { server.stop() }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("fan-out.scm")
        try #"(finish (length (map-async (lambda (i) (llm-query-async #:data (number->string i))) (range 200))))"#
            .write(to: script, atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("store.sqlite").path
        let process = try BuiltBinary.process(["run", script.path, "--max-concurrent", "10", "--store", store],
                                              environment: ["OPENAI_BASE_URL": server.baseURL])
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<1000 where server.requestsReceived < 50 { usleep(10_000) }
        let sentAt = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(sentAt)
        print("rlm-plan run stopped \(Int(seconds * 1000)) ms after SIGINT")
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(seconds < 1.0)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("rlm-plan: interrupted"), "\(stderr)")
        let made = try #require(count("calls", in: stderr), "\(stderr)")
        let failed = count("failed", in: stderr) ?? 0
        let completed = made - failed
        #expect(completed >= 40 && completed < 200, "\(stderr)")
        let sentBefore = server.requestsReceived

        let resumed = try run([script.path, "--max-concurrent", "10", "--resume"], server: server, dir: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout == "200\n")
        #expect(count("replayed", in: resumed.stderr) == completed, "\(resumed.stderr)")
        #expect(server.requestsReceived - sentBefore == 200 - completed)
    }

    @Test func jsonPrintsOneObjectWithTheValueAsJSON() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("json.scm")
        try #"(display "hi") (define r (syntax-e (llm-query #:data "x"))) (finish (hash 'reply r 'n (list 1 2)))"#
            .write(to: script, atomically: true, encoding: .utf8)
        let r = try run([script.path, "--json", "--quiet"], server: server, dir: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("}\n") && r.stdout.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["status", "value", "stdout", "error", "calls", "input_tokens", "output_tokens",
                                     "cost_usd", "elapsed_s", "by_model"])
        #expect(object["status"] as? String == "finished")
        #expect(object["stdout"] as? String == "hi")
        #expect(object["error"] is NSNull)
        #expect(object["calls"] as? Int == 1)
        #expect((object["input_tokens"] as? Int ?? 0) > 0)
        let value = try #require(object["value"] as? [String: Any])
        #expect(value["n"] as? [Int] == [1, 2])
        #expect((value["reply"] as? String)?.contains("x") == true)
        let byModel = try #require(object["by_model"] as? [String: [String: Any]])
        #expect(byModel.count == 1)
        #expect(byModel.values.first?["calls"] as? Int == 1)
        #expect(byModel.values.first?["input_tokens"] as? Int == object["input_tokens"] as? Int)

        try #"(finish 'done)"#.write(to: script, atomically: true, encoding: .utf8)
        let symbol = try run([script.path, "--json", "--quiet"], server: server, dir: dir)
        let symbolObject = try JSONSerialization.jsonObject(with: Data(symbol.stdout.utf8)) as? [String: Any]
        #expect(symbolObject?["value"] as? String == "done")

        try "(define x 1)\n(car x)".write(to: script, atomically: true, encoding: .utf8)
        let failed = try run([script.path, "--json", "--quiet"], server: server, dir: dir)
        #expect(failed.status == 1)
        let failedObject = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any])
        #expect(failedObject["status"] as? String == "error")
        let error = try #require(failedObject["error"] as? [String: Any])
        #expect(error["code"] as? String == "contract")
        #expect(error["line"] as? Int == 2)
        #expect((error["message"] as? String)?.hasPrefix("car: contract violation") == true)
    }
}
