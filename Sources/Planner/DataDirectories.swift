import Foundation

/// Finds the project's data directories (`patterns/`, `docs/`) that the planner and the MCP
/// server read at run time.
///
/// Both are plain files next to the sources, not SwiftPM resources, so a user can edit them and a
/// single static binary still finds them. The search order:
///
/// 1. `$RLM_PLAN_HOME/NAME` when `RLM_PLAN_HOME` is set (a set variable that does not hold the
///    directory is an error, not a silent fall-through: the user asked for that place);
/// 2. walking up from the running executable's resolved path (`.build/debug/rlm-plan` →
///    the checkout that built it; `/usr/local/bin/rlm-plan` → `/usr/local/share/rlm-plan/NAME`
///    is also tried at each level);
/// 3. walking up from the current directory.
///
///     let patterns = try DataDirectories.locate("patterns")   // URL of …/patterns
public enum DataDirectories {
    /// The environment variable naming the directory that holds `patterns/` and `docs/`.
    public static let homeVariable = "RLM_PLAN_HOME"

    /// The directory `name` (`"patterns"` or `"docs"`), found as the type's documentation says.
    ///
    /// - Throws: `PlannerError` saying where it looked when no such directory exists.
    public static func locate(_ name: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              executablePath: String? = Bundle.main.executablePath,
                              currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> URL {
        if let home = environment[homeVariable], !home.isEmpty {
            let url = URL(fileURLWithPath: home).appendingPathComponent(name)
            guard isDirectory(url) else {
                throw PlannerError("\(homeVariable)=\(home) has no \(name)/ directory (expected \(url.path))")
            }
            return url
        }
        var starts: [URL] = []
        if let executablePath {
            starts.append(URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: currentDirectory))
        for start in starts {
            if let found = search(name, upFrom: start) { return found }
        }
        throw PlannerError("cannot find the \(name)/ directory: set \(homeVariable) to the directory that holds it "
            + "(looked upwards from \(starts.map(\.path).joined(separator: " and ")))")
    }

    /// `start/name`, `start/share/rlm-plan/name`, then the same at each parent directory.
    static func search(_ name: String, upFrom start: URL) -> URL? {
        var directory = start.standardizedFileURL
        while true {
            for candidate in [directory.appendingPathComponent(name),
                              directory.appendingPathComponent("share/rlm-plan").appendingPathComponent(name)]
            where isDirectory(candidate) {
                return candidate
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}

/// A planning input or setting that cannot be used, said plainly (which field, what was wrong).
public struct PlannerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong and where.
    public var description: String
    /// An error with `message`.
    public init(_ message: String) { description = message }
}
