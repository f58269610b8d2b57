import Foundation
import TestSupport

/// `rlm-plan mcp` as a child process, spoken to as an MCP client would: one JSON-RPC message per
/// line on its standard input; replies (matched by id, they may come out of order) and
/// notifications read from its standard output by a background thread.
final class MCPChild: @unchecked Sendable {
    let process: Process
    private let input: FileHandle
    private let lock = NSCondition()
    private var responses: [Int: [String: Any]] = [:]
    private var notificationLog: [[String: Any]] = []
    private var unmatched: [[String: Any]] = []
    /// Every line of standard output that was not JSON (must stay empty: stdout carries only protocol).
    private(set) var strayLines: [String] = []
    private var nextID = 1
    private var stderrData = Data()
    let started = Date()

    init(environment: [String: String?] = [:], arguments: [String] = []) throws {
        process = try BuiltBinary.process(["mcp"] + arguments, environment: environment)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        input = stdin.fileHandleForWriting
        try process.run()
        let reader = stdout.fileHandleForReading
        Thread.detachNewThread { [self] in
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[(newline + 1)...])
                    handle(Data(line))
                }
            }
            lock.lock(); lock.broadcast(); lock.unlock()
        }
        let errReader = stderr.fileHandleForReading
        Thread.detachNewThread { [self] in
            let all = errReader.readDataToEndOfFile()
            lock.lock(); stderrData = all; lock.unlock()
        }
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            try? input.close()
            process.terminate()
            process.waitUntilExit()
        }
    }

    var standardError: String { lock.lock(); defer { lock.unlock() }; return String(decoding: stderrData, as: UTF8.self) }

    private func handle(_ line: Data) {
        lock.lock(); defer { lock.unlock() }
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            strayLines.append(String(decoding: line, as: UTF8.self))
            lock.broadcast()
            return
        }
        if object["method"] != nil, object["id"] == nil {
            notificationLog.append(object)
        } else if let id = object["id"] as? Int {
            responses[id] = object
        } else {
            // An error reply the server could not tie to a request id (e.g. to malformed JSON).
            unmatched.append(object)
        }
        lock.broadcast()
    }

    /// Writes one raw line (malformed input tests).
    func sendLine(_ line: String) {
        input.write(Data((line + "\n").utf8))
    }

    func send(_ object: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        input.write(data + Data([0x0A]))
    }

    /// Sends a request and returns its id without waiting.
    @discardableResult
    func start(_ method: String, _ params: [String: Any]? = nil) -> Int {
        lock.lock()
        let id = nextID
        nextID += 1
        lock.unlock()
        var message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method]
        if let params { message["params"] = params }
        send(message)
        return id
    }

    /// The response to `id`, waiting up to `timeout` seconds (nil on timeout).
    func response(_ id: Int, timeout: Double = 30) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock(); defer { lock.unlock() }
        while responses[id] == nil {
            if !lock.wait(until: deadline) { return nil }
        }
        return responses[id]
    }

    /// Sends a request and waits for its response.
    func request(_ method: String, _ params: [String: Any]? = nil, timeout: Double = 30) -> [String: Any]? {
        response(start(method, params), timeout: timeout)
    }

    /// Replies whose id is not one of ours (the error replies to lines that were not JSON-RPC).
    var unmatchedReplies: [[String: Any]] {
        lock.lock(); defer { lock.unlock() }
        return unmatched
    }

    func notifications(_ method: String) -> [[String: Any]] {
        lock.lock(); defer { lock.unlock() }
        return notificationLog.filter { $0["method"] as? String == method }
    }

    /// `initialize` and `notifications/initialized`, as every client starts.
    @discardableResult
    func initialize() -> [String: Any]? {
        let reply = request("initialize", ["protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any],
                                           "clientInfo": ["name": "server-tests", "version": "1"]])
        send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        return reply
    }

    /// `tools/call` of `name`; returns the result object (nil on timeout or a JSON-RPC error).
    func callTool(_ name: String, _ arguments: [String: Any] = [:], meta: [String: Any]? = nil, timeout: Double = 60) -> ToolResult? {
        var params: [String: Any] = ["name": name, "arguments": arguments]
        if let meta { params["_meta"] = meta }
        guard let reply = request("tools/call", params, timeout: timeout), let result = reply["result"] as? [String: Any] else { return nil }
        return ToolResult(raw: result)
    }
}

/// A `tools/call` result.
struct ToolResult: @unchecked Sendable {
    let raw: [String: Any]
    var isError: Bool { raw["isError"] as? Bool ?? false }
    var text: String { ((raw["content"] as? [[String: Any]])?.first?["text"] as? String) ?? "" }
    var structured: [String: Any]? { raw["structuredContent"] as? [String: Any] }
}

/// A temporary project home (`RLM_PLAN_HOME`) with two guides and the planner's test patterns, so
/// the reference, pattern and plan tools read known files.
enum FixtureHome {
    static func make() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-home-\(UUID().uuidString)")
        let docs = root.appendingPathComponent("docs"), patterns = root.appendingPathComponent("patterns")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: patterns, withIntermediateDirectories: true)
        try "# Getting started\nplan, simulate, execute\n".write(to: docs.appendingPathComponent("getting-started.md"), atomically: true, encoding: .utf8)
        try "# Combinators\nmap-async\n".write(to: docs.appendingPathComponent("combinators.md"), atomically: true, encoding: .utf8)
        // The planner's own test patterns (they follow the shared header contract).
        let fixtures = BuiltBinary.packageRoot.appendingPathComponent("Tests/PlannerTests/Fixtures/patterns")
        for file in try FileManager.default.contentsOfDirectory(atPath: fixtures.path) where file.hasSuffix(".scm") {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(file), to: patterns.appendingPathComponent(file))
        }
        return root
    }
}
