import Foundation

/// Finds the project's data directories (`docs/`, `patterns/`) the guides and patterns are read
/// from: `$RLM_PLAN_HOME`, else the first ancestor of the executable (then of the current
/// directory) that has the directory.
///
/// The planner is adding the shared, public locator; this one moves there once it lands.
enum ProjectFiles {
    static func directory(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let fm = FileManager.default
        func has(_ base: URL) -> URL? {
            let dir = base.appendingPathComponent(name, isDirectory: true)
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: dir.path, isDirectory: &isDirectory) && isDirectory.boolValue ? dir : nil
        }
        if let home = environment["RLM_PLAN_HOME"], !home.isEmpty {
            return has(URL(fileURLWithPath: home, isDirectory: true))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for start in [executable.deletingLastPathComponent(), URL(fileURLWithPath: fm.currentDirectoryPath, isDirectory: true)] {
            var dir = start.standardizedFileURL
            while true {
                if let found = has(dir) { return found }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// The text of `docs/NAME`, or a `ToolError` saying where it was looked for.
    static func guide(_ file: String) throws -> String {
        guard let docs = directory("docs") else {
            throw ToolError("the guide docs/\(file) is not available: no docs/ directory was found (set RLM_PLAN_HOME to the rlm-plan checkout)")
        }
        let url = docs.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ToolError("the guide \(url.path) is missing from this installation")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
