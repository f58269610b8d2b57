import Foundation
import Testing
@testable import Sandbox

/// Issue 12 item 5: secrets stay out of the sandbox (the scrubber, the Python worker's
/// environment, the `#:image` door).
@Suite("Secrets stay out of the sandbox")
struct SecretsTests {
    static let key = "sk-secret-123"

    @Test("the scrubber removes the key as is, in base64 at every alignment, and URL-encoded")
    func scrubberCoversEncodedForms() {
        let scrubber = SecretScrubber(secret: Self.key)
        #expect(scrubber.clean("key=\(Self.key);") == "key=[redacted];")
        for prefix in ["", "a", "ab", "abc", "OPENAI_API_KEY="] {
            let encoded = Data((prefix + Self.key + "\nMORE=1").utf8).base64EncodedString()
            let cleaned = scrubber.clean("environ: " + encoded)
            #expect(cleaned.contains("[redacted]"), "prefix \(prefix.count): \(encoded)")
            #expect(!scrubber.reveals(cleaned))
            let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(scrubber.clean(urlSafe).contains("[redacted]"))
        }
        #expect(scrubber.clean("token=sk%2Dsecret%2D123&x=1") == "token=[redacted]&x=1")
        #expect(scrubber.clean("token=sk%2dsecret%2d123") == "token=[redacted]")
        #expect(scrubber.clean("nothing secret here") == "nothing secret here")
        // A short value is removed as is, but its encodings are not hunted for in ordinary text.
        #expect(SecretScrubber(secret: "abc").clean("abc YWJj") == "[redacted] YWJj")
    }

    @Test("the Python worker's environment has no API keys, tokens, secrets or passwords")
    func workerEnvironmentHasNoSecrets() {
        let env = ["PATH": "/bin", "HOME": "/home/u", "OPENAI_API_KEY": Self.key, "OPENAI_BASE_URL": "http://x",
                   "ANTHROPIC_API_KEY": "a", "GITHUB_TOKEN": "t", "AWS_SECRET_ACCESS_KEY": "s", "DB_PASSWORD": "p",
                   "MY_SERVICE_API_KEY": "m", "LANG": "C.UTF-8", "DATA_DIR": "/data"]
        #expect(PythonWorkerEnvironment.forWorker(.full, from: env)
                == ["PATH": "/bin", "HOME": "/home/u", "LANG": "C.UTF-8", "DATA_DIR": "/data"])
        #expect(PythonWorkerEnvironment.forWorker(.copyOnWrite, from: env) == ["PATH": "/bin", "HOME": "/home/u", "LANG": "C.UTF-8"])
        #expect(PythonWorkerEnvironment.secretValues(from: env, dotEnvPath: nil).contains(Self.key))
        #expect(!PythonWorkerEnvironment.secretValues(from: env, dotEnvPath: nil).contains("http://x"))
    }

    /// A working folder with an image, a `.env`, a hidden folder and a symlink leading out.
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("img-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("pics"), withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: dir.appendingPathComponent("pics/cat.png"))
        try "OPENAI_API_KEY=\(Self.key)\n".write(to: dir.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try "secret".write(to: dir.appendingPathComponent(".git/config"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("pics/escape.png").path, withDestinationPath: "/etc/hostname")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("pics/inside.png").path, withDestinationPath: dir.appendingPathComponent("pics/cat.png").path)
        return dir
    }

    func imageError(_ path: String, in dir: URL, env: [String: String] = [:]) -> String {
        do {
            _ = try ImageInput.dataURL(path, environment: env, workingFolder: dir.path)
            return "READ"
        } catch {
            return (error as? SchemeError)?.message ?? "\(error)"
        }
    }

    @Test("#:image reads files under the working folder, URLs and base64 data")
    func imageAllowed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ImageInput.dataURL("pics/cat.png", environment: [:], workingFolder: dir.path) == "data:image/png;base64,iVBORw==")
        #expect(try ImageInput.dataURL(dir.path + "/pics/inside.png", environment: [:], workingFolder: dir.path) == "data:image/png;base64,iVBORw==")
        #expect(try ImageInput.dataURL("https://example.com/a.png", environment: [:], workingFolder: dir.path) == "https://example.com/a.png")
        #expect(try ImageInput.dataURL("data:image/png;base64,AAAA", environment: [:], workingFolder: dir.path) == "data:image/png;base64,AAAA")
        let payload = String(repeating: "iVBORw0KGgo", count: 8)
        #expect(try ImageInput.dataURL(payload, environment: [:], workingFolder: dir.path) == "data:image/png;base64," + payload)
        // A folder named in RLM_IMAGE_DIRS is allowed too.
        let other = try folder()
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(imageError(other.path + "/pics/cat.png", in: dir) != "READ")
        #expect(imageError(other.path + "/pics/cat.png", in: dir, env: ["RLM_IMAGE_DIRS": "/nowhere:" + other.path]) == "READ")
    }

    @Test("#:image refuses hidden files, .env, /proc, /sys, /dev, paths outside and symlinks leading out, with one message")
    func imageRefused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let refused = [".env", ".git/config", "/proc/self/environ", "/sys/kernel/hostname", "/dev/zero", "/etc/hostname",
                       "pics/../../etc/hostname", "pics/escape.png", "pics/../.env", "/proc/self/../self/environ"]
        for path in refused {
            let message = imageError(path, in: dir)
            #expect(message.contains("is not an allowed image file"), "\(path): \(message)")
            #expect(!message.contains(Self.key))
        }
        // The message is the same whether a refused path exists or not.
        let existing = imageError("/etc/hostname", in: dir).replacingOccurrences(of: "/etc/hostname", with: "P")
        let missing = imageError("/etc/no-such-file-here", in: dir).replacingOccurrences(of: "/etc/no-such-file-here", with: "P")
        #expect(existing == missing)
        let hiddenExisting = imageError(".env", in: dir).replacingOccurrences(of: ".env", with: "P")
        let hiddenMissing = imageError(".nothing", in: dir).replacingOccurrences(of: ".nothing", with: "P")
        #expect(hiddenExisting == hiddenMissing)
    }
}
