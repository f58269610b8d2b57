import Foundation

/// The built `rlm-plan` executable, for tests that run it as a process (shared by every test
/// target that does).
public enum BuiltBinary {
    /// Beside the test bundle (`swift build` puts both in the same directory), or under
    /// `.build/debug` of this package.
    public static let url: URL? = {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("rlm-plan"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rlm-plan")]
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            candidates.append(dir.appendingPathComponent(".build/debug/rlm-plan"))
            dir.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The package's root folder (for its `examples/`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// How one run of the binary ended.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// A process for `arguments`, with `environment` changes applied (nil removes a variable;
    /// `OPENAI_API_KEY` is always removed so no test can reach a real provider) in `directory`
    /// (default: the temporary directory).
    public static func process(_ arguments: [String], environment: [String: String?] = [:],
                               directory: URL? = nil) throws -> Process {
        guard let url else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "rlm-plan is not built; run `swift build` first"]) }
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["OPENAI_API_KEY"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        return p
    }

    /// Runs the binary to completion and captures what it wrote.
    public static func run(_ arguments: [String], environment: [String: String?] = [:], directory: URL? = nil) throws -> Outcome {
        let p = try process(arguments, environment: environment, directory: directory)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
