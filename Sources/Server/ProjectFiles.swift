import Foundation
import Planner

/// The project's data files the tools return: the guides in `docs/` and the strategies in
/// `patterns/`, found by the planner's `DataDirectories` (`$RLM_PLAN_HOME`, else upwards from the
/// executable, else from the current directory) and read on every call, so edits show at once.
enum ProjectFiles {
    /// The text of `docs/NAME`, or a `ToolError` saying where it was looked for.
    static func guide(_ file: String) throws -> String {
        let docs: URL
        do { docs = try DataDirectories.locate("docs") } catch {
            throw ToolError("the guide docs/\(file) is not available: \(error)")
        }
        let url = docs.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ToolError("the guide \(url.path) is missing from this installation")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `docs/NAME` exists (for the resource list).
    static func hasGuide(_ file: String) -> Bool {
        guard let docs = try? DataDirectories.locate("docs") else { return false }
        return FileManager.default.fileExists(atPath: docs.appendingPathComponent(file).path)
    }

    /// The pattern library, or a `ToolError` saying why there is none.
    static func patterns() throws -> PatternLibrary {
        do { return try PatternLibrary.load() } catch { throw ToolError("the pattern library is not available: \(error)") }
    }

    /// The pattern `name`, or a `ToolError` naming the argument and the known names.
    static func pattern(_ name: String, tool: String, argument: String) throws -> Pattern {
        let library = try patterns()
        guard let pattern = library.get(name) else {
            throw ToolError("\(tool): argument '\(argument)': no pattern named '\(name)'; known: "
                            + library.list().map(\.name).joined(separator: ", "))
        }
        return pattern
    }
}
