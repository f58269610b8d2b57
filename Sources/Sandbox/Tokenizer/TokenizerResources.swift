import Foundation

/// Finds the rank files, shipped as resources of the Sandbox target
/// (`Sources/Sandbox/Resources/README.md`).
enum TokenizerResources {
    /// Overrides where the rank files are read from: a directory holding `o200k_base.tiktoken`
    /// and `cl100k_base.tiktoken`, for a binary moved away from its resource bundle.
    static let directoryVariable = "RLM_TOKENIZER_DIR"

    /// Names SwiftPM gives the Sandbox's resource bundle beside the executable (Linux, macOS).
    static let bundleNames = ["rlm-plan_Sandbox.resources", "rlm-plan_Sandbox.bundle"]

    static func rankFileURL(_ encoding: TokenizerEncoding) throws(TokenizerError) -> URL {
        let file = encoding.rawValue + ".tiktoken"
        let fm = FileManager.default
        var searched: [String] = []
        if let dir = ProcessInfo.processInfo.environment[directoryVariable], !dir.isEmpty {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(file)
            if fm.fileExists(atPath: url.path) { return url }
            searched.append(url.path)
        }
        // `Bundle.module` ends the process (fatalError) when it finds no bundle, so it is touched only
        // once the bundle is known to be where it looks first: beside the executable.
        let executableDirectory = Bundle.main.bundleURL
        for name in bundleNames {
            let bundle = executableDirectory.appendingPathComponent(name)
            searched.append(bundle.path)
            guard fm.fileExists(atPath: bundle.path) else { continue }
            if let url = Bundle.module.url(forResource: encoding.rawValue, withExtension: "tiktoken",
                                           subdirectory: "Resources") {
                return url
            }
        }
        throw TokenizerError.missingResource(file, searched: searched, variable: directoryVariable)
    }
}
