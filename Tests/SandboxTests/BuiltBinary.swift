import Foundation

/// The built `rlm-plan` executable, for tests that run it as a process.
enum BuiltBinary {
    /// Beside the test bundle (`swift build` puts both in the same directory), or under
    /// `.build/debug` of this package.
    static let url: URL? = {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("rlm-plan"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rlm-plan")]
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            candidates.append(dir.appendingPathComponent(".build/debug/rlm-plan"))
            dir.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
}
