import Foundation

/// What the session's Python worker may touch.
///
/// `.full` is a real run: Python reads and writes files, opens sockets and starts programs as
/// the user running `rlm-plan` can (but without API keys in its environment, see
/// `PythonWorkerEnvironment`). `.copyOnWrite` is the simulated world: Python sees the working
/// folder (and the rest of the file system) through a copy-on-write layer — reads see the user's
/// files and what the simulation itself wrote; writes, appends, deletes, renames and mkdirs land
/// in a scratch directory discarded when the session ends; network, other programs, signals and
/// environment changes are refused with a `PermissionError` naming what was refused. Each
/// would-be change is recorded (`SandboxSession.pythonChanges`).
public struct PythonReach: Sendable, Equatable {
    public enum Mode: String, Sendable { case full, copyOnWrite }

    public var mode: Mode
    /// The folder Python starts in and that change paths are relative to; nil = the process's
    /// current directory.
    public var workingFolder: String?

    public init(mode: Mode, workingFolder: String? = nil) {
        self.mode = mode
        self.workingFolder = workingFolder
    }

    /// Real runs.
    public static let full = PythonReach(mode: .full)
    /// Simulated runs, over the process's current directory.
    public static let copyOnWrite = PythonReach(mode: .copyOnWrite)

    /// Simulated runs over `workingFolder`.
    public static func copyOnWrite(workingFolder: String) -> PythonReach {
        PythonReach(mode: .copyOnWrite, workingFolder: workingFolder)
    }

    /// The working folder as an absolute path.
    var resolvedWorkingFolder: String {
        let folder = workingFolder ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: folder).standardizedFileURL.path
    }
}

/// One change a simulated run's Python code would have made to the files (it went to the
/// scratch copy instead).
public struct PythonFileChange: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case write, append, delete, rename, mkdir
        /// chmod, chown, utime of an existing file.
        case metadata
        /// The worker could not report its changes (the path holds why).
        case unknown
    }

    public var kind: Kind
    /// Relative to the working folder when inside it, else absolute.
    public var path: String
    /// A rename's destination (same convention as `path`).
    public var to: String?
    /// For a write: the file's size as the run left it; for an append: the bytes appended; else 0.
    public var bytes: Int

    public init(kind: Kind, path: String, to: String? = nil, bytes: Int = 0) {
        self.kind = kind
        self.path = path
        self.to = to
        self.bytes = bytes
    }

    /// "write README.md (12 bytes)", "rename a.txt -> b.txt", "delete old/".
    public var summary: String {
        switch kind {
        case .rename: return "rename \(path) -> \(to ?? "?")"
        case .write, .append: return "\(kind.rawValue) \(path) (\(bytes) bytes)"
        default: return "\(kind.rawValue) \(path)"
        }
    }
}

/// A copy-on-write session's scratch area and the changes recorded so far. Owned by the
/// session (shared by its resets' and child sandboxes' workers), removed when the session ends.
final class PythonDryRunArea: @unchecked Sendable {
    let workingFolder: String
    private let lock = NSLock()
    private var scratchPath: String?
    private var recorded: [PythonFileChange] = []

    init(workingFolder: String) {
        self.workingFolder = workingFolder
    }

    deinit { discard() }

    /// The scratch directory, created on first use (outside the working folder).
    func scratch() throws -> String {
        lock.lock(); defer { lock.unlock() }
        if let scratchPath { return scratchPath }
        var template = Array((NSTemporaryDirectory() + "/rlm-python-dry-run.XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw PythonDryRunError.cannotCreateScratch(String(cString: strerror(errno))) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        scratchPath = path
        return path
    }

    var changes: [PythonFileChange] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    func record(_ more: [PythonFileChange]) {
        guard !more.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        recorded.append(contentsOf: more)
    }

    /// Deletes the scratch directory (what the simulation wrote).
    func discard() {
        lock.lock()
        let path = scratchPath
        scratchPath = nil
        lock.unlock()
        if let path { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The changes in a worker reply's `changes` field.
    static func changes(in reply: HashTable) -> [PythonFileChange] {
        guard let list = reply.get(.sym("changes")) else { return [] }
        var out: [PythonFileChange] = []
        var cursor = list
        while case .pair(let cell) = cursor {
            cursor = cell.cdr
            guard case .hash(let entry) = cell.car else { continue }
            func text(_ key: String) -> String? {
                if case .string(let s)? = entry.get(.sym(key)) { return s.string }
                return nil
            }
            var bytes = 0
            if case .int(let n)? = entry.get(.sym("bytes")) { bytes = n }
            let kind = PythonFileChange.Kind(rawValue: text("kind") ?? "") ?? .unknown
            out.append(PythonFileChange(kind: kind, path: text("path") ?? "?", to: text("to"), bytes: bytes))
        }
        return out
    }
}

enum PythonDryRunError: Error {
    case cannotCreateScratch(String)
}
