import Foundation
import ModelServer
import TestSupport
import Testing

/// Issue 12's acceptance for secrets: with `OPENAI_API_KEY=sk-secret-123` (and the key in a
/// `.env` beside the strategy), nothing the sandbox can reach yields the key or its base64 form.
@Suite struct SecretsAcceptanceTests {
    static let key = "sk-secret-123"

    /// The key's base64 forms at each alignment (the characters that depend on the key alone).
    static var encodedForms: [String] {
        (0..<3).map { offset in
            let encoded = Array((Data(repeating: 0x41, count: offset) + Data(key.utf8)).base64EncodedString())
            let first = (offset * 8 + 5) / 6, end = (offset + key.utf8.count) * 8 / 6
            return String(encoded[first..<end])
        }
    }

    @Test("no primitive, Python call, #:image path, error message, trace, scope log or store row yields the key")
    func keyNeverReachesTheSandbox() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "OPENAI_API_KEY=\(Self.key)\n".write(to: dir.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let probes = [
            #"(py-eval "__import__('os').environ.get('OPENAI_API_KEY')")"#,
            #"(py-eval "str(dict(__import__('os').environ))")"#,
            #"(py-exec "import os\nprint(open('/proc/%d/environ' % os.getppid(), 'rb').read())")"#,
            #"(py-exec "print(open('.env').read())")"#,
            #"(py-exec "import base64\nprint(base64.b64encode(open('.env', 'rb').read()).decode())")"#,
            #"(py-exec "import urllib.parse\nprint(urllib.parse.quote(open('.env').read()))")"#,
            #"(py-exec "raise ValueError(open('.env').read())")"#,
            #"(llm-query #:instruction "describe" #:image "/proc/self/environ")"#,
            #"(llm-query #:instruction "describe" #:image ".env")"#,
            #"(llm-query #:instruction "describe" #:image "../../proc/self/environ")"#,
            #"(llm-query #:instruction "echo this" #:data (py-exec "print(open('.env').read())"))"#,
        ]
        var program = "(define (probe thunk) (with-handlers ([(lambda (e) #t) (lambda (e) (format \"error: ~a\" (exn-message e)))]) (thunk)))\n"
        for p in probes {
            program += "(display (format \"~s\\n\" (probe (lambda () \(p)))))\n"
        }
        program += #"(checkpoint "probe" (py-exec "print(open('.env').read())"))"# + "\n(finish \"done\")\n"
        let script = dir.appendingPathComponent("probe.scm")
        try program.write(to: script, atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("state.sqlite").path
        let trace = dir.appendingPathComponent("trace.json").path
        let outcome = try BuiltBinary.run(["run", script.path, "--store", store, "--trace", trace],
                                          environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": Self.key],
                                          directory: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // The probes ran: Python answered, the image doors refused, the model was called.
        #expect(outcome.stdout.contains("is not an allowed image file"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("reading a process's environment is not allowed"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("[redacted]"), "\(outcome.stdout)")
        #expect(server.requestsReceived >= 1)

        var texts = ["stdout": outcome.stdout, "stderr": outcome.stderr]
        texts["trace"] = String(decoding: try Data(contentsOf: URL(fileURLWithPath: trace)), as: UTF8.self)
        // The store's rows (and its journal, if any), read as raw bytes.
        for suffix in ["", "-wal", "-journal"] {
            if let data = FileManager.default.contents(atPath: store + suffix) {
                texts["store" + suffix] = String(decoding: data, as: UTF8.self)
            }
        }
        for (name, text) in texts {
            #expect(!text.contains(Self.key), "\(name) holds the key")
            for form in Self.encodedForms {
                #expect(!text.contains(form), "\(name) holds the key's base64 form \(form)")
            }
        }
    }
}
