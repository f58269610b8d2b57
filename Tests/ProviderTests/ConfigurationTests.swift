import Foundation
import ModelServer
@testable import Sandbox
import Testing

@Suite("OpenAI provider: configuration, .env and secrets")
struct ConfigurationTests {
    @Test(".env parsing: comments, export, quotes, escapes, inline comments")
    func dotEnvParsing() {
        let text = """
            # a comment
            OPENAI_API_KEY=sk-plain
            export OPENAI_BASE_URL = "http://localhost:8080/v1"  # trailing comment
            SINGLE='literal \\n $HOME # not a comment'
            DOUBLE="line1\\nline2 \\"quoted\\""
            UNQUOTED=value with spaces   # comment
            HASH=abc#def
            EMPTY=
            MULTI="first
            second"
              INDENTED=yes\r
            not a valid line
            =novalue
            DUP=1
            DUP=2
            """
        let values = DotEnv.parse(text)
        #expect(values["OPENAI_API_KEY"] == "sk-plain")
        #expect(values["OPENAI_BASE_URL"] == "http://localhost:8080/v1")
        #expect(values["SINGLE"] == "literal \\n $HOME # not a comment")
        #expect(values["DOUBLE"] == "line1\nline2 \"quoted\"")
        #expect(values["UNQUOTED"] == "value with spaces")
        #expect(values["HASH"] == "abc#def")
        #expect(values["EMPTY"] == "")
        #expect(values["MULTI"] == "first\nsecond")
        #expect(values["INDENTED"] == "yes")
        #expect(values["DUP"] == "2")
        #expect(values.count == 10)
    }

    @Test("the environment wins over .env, which fills in what the environment lacks")
    func environmentWinsOverDotEnv() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-dotenv-\(UUID().uuidString)").path
        try "OPENAI_API_KEY=sk-from-file\nOPENAI_BASE_URL=http://127.0.0.1:9/v1\nRLM_MAX_RETRIES=5\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try OpenAIConfiguration.fromEnvironment([:], dotEnvPath: path)
        #expect(fromFile.apiKey == "sk-from-file")
        #expect(fromFile.baseURL == "http://127.0.0.1:9/v1")
        #expect(fromFile.maxRetries == 5)
        let overridden = try OpenAIConfiguration.fromEnvironment(["OPENAI_API_KEY": "sk-env", "RLM_MAX_RETRIES": "0"], dotEnvPath: path)
        #expect(overridden.apiKey == "sk-env")
        #expect(overridden.maxRetries == 0)
        #expect(overridden.baseURL == "http://127.0.0.1:9/v1")
    }

    @Test("defaults, and the RLM_* variables")
    func defaultsAndVariables() throws {
        let defaults = try OpenAIConfiguration.fromEnvironment([:], dotEnvPath: nil)
        #expect(defaults == OpenAIConfiguration())
        #expect(defaults.baseURL == "https://api.openai.com/v1")
        #expect(defaults.apiKey == nil)
        #expect(defaults.requestTimeout == 120)
        #expect(defaults.maxRetries == 3)
        #expect(defaults.retryBaseDelay == 2.0)
        let set = try OpenAIConfiguration.fromEnvironment(
            ["RLM_REQUEST_TIMEOUT_SECONDS": "7.5", "RLM_RETRY_BASE_DELAY": "0.5", "RLM_MAX_RETRIES": "1", "OPENAI_API_KEY": ""],
            dotEnvPath: "/nonexistent/.env")
        #expect(set.requestTimeout == 7.5)
        #expect(set.retryBaseDelay == 0.5)
        #expect(set.maxRetries == 1)
        #expect(set.apiKey == nil)
        #expect(set.chatCompletionsURL?.absoluteString == "https://api.openai.com/v1/chat/completions")
    }

    @Test("bad values are configuration errors", arguments: [
        ["RLM_MAX_RETRIES": "-1"], ["RLM_MAX_RETRIES": "three"], ["RLM_RETRY_BASE_DELAY": "soon"],
        ["RLM_REQUEST_TIMEOUT_SECONDS": "-5"], ["OPENAI_BASE_URL": "ftp://example.com"], ["OPENAI_BASE_URL": "not a url"],
    ])
    func badValues(env: [String: String]) {
        #expect(throws: ProviderError.self) { try OpenAIConfiguration.fromEnvironment(env, dotEnvPath: nil) }
    }

    @Test("local servers need no key", arguments: [
        "http://localhost:11434/v1", "http://127.0.0.1:8080/v1", "http://[::1]:8000/v1", "http://127.0.0.2/v1/",
    ])
    func localServersNeedNoKey(baseURL: String) {
        let configuration = OpenAIConfiguration(baseURL: baseURL)
        #expect(configuration.isLocalServer)
        #expect(configuration.problem == nil)
        #expect(configuration.chatCompletionsURL?.path.hasSuffix("/v1/chat/completions") == true)
    }

    @Test("a remote server without a key fails the first call with .configuration, sending nothing")
    func missingKeyRemote() async throws {
        for baseURL in ["https://api.openai.com/v1", "https://openrouter.ai/api/v1"] {
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: baseURL, apiKey: nil))
            let (result, _) = await call(provider, query("x"))
            let error = try #require(result.failure)
            #expect(error.kind == .configuration)
            #expect(error.message.contains("OPENAI_API_KEY"))
        }
    }

    @Test("a local server is called without a key and without an Authorization header")
    func localServerWithoutKey() async throws {
        let log = RequestLog()
        try await withServer(log.recording()) { server in
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL))
            let (result, _) = await call(provider, query("x"))
            #expect(result.success?.text == "Reply to: x")
            #expect(log.all.first?.headers["authorization"] == nil)
        }
    }

    @Test("the API key never appears in an error message, even when the server echoes it")
    func keyScrubbed() async throws {
        let echoingKey = ServerBehavior { request in
            let auth = request.headers["authorization"] ?? ""
            return .error(status: 401, message: "Incorrect API key provided: \(auth). " + String(repeating: "x", count: 400) + " \(auth)")
        }
        let retryLines = LineLog()
        try await withServer(echoingKey) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            let (result, _) = await call(provider, query("x"))
            let error = try #require(result.failure)
            #expect(error.status == 401)
            #expect(error.message.hasPrefix("Incorrect API key provided: Bearer [redacted]."))
            #expect(!error.message.contains(testAPIKey))
            #expect(!error.description.contains(testAPIKey))
            #expect(error.message.count <= 301)
        }
        // A key that is a prefix of what the server sends must not survive truncation either.
        let echoingKeyLate = ServerBehavior { request in
            .error(status: 500, message: String(repeating: "y", count: 290) + (request.headers["authorization"] ?? ""))
        }
        try await withServer(echoingKeyLate) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server, maxRetries: 1), retryLog: retryLines.append)
            let (result, _) = await call(provider, query("x"))
            let error = try #require(result.failure)
            #expect(!error.message.contains(String(testAPIKey.prefix(8))))
            #expect(retryLines.all.count == 1)
            #expect(retryLines.all.first?.hasPrefix("test-model: API 500: yyy") == true)
            #expect(retryLines.all.first?.hasSuffix("; retry 1/1 in 0.001s") == true)
            #expect(retryLines.all.allSatisfy { !$0.contains(testAPIKey) })
        }
        // Transport errors name the host only: even a key pasted into the base URL stays out.
        let closed = LocalModelServer()
        try closed.start()
        let port = closed.port
        closed.stop()
        let pasted = OpenAIConfiguration(baseURL: "http://127.0.0.1:\(port)/\(testAPIKey)/v1", apiKey: testAPIKey, maxRetries: 0)
        let (result, _) = await call(OpenAICompatibleProvider(configuration: pasted), query("x"))
        let error = try #require(result.failure)
        #expect(error.kind == .transport)
        #expect(!error.message.contains(testAPIKey))
    }
}

/// Lines handed to a `retryLog`.
final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var append: @Sendable (String) -> Void { { [self] line in lock.lock(); lines.append(line); lock.unlock() } }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
