import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The session's Python worker (reference §2.5): a `python3` child speaking JSON lines.
///
/// Started lazily on the first request, so sessions that never use Python pay nothing; started
/// again transparently when a request finds it dead (its globals are then gone). Each request
/// has a deadline; on expiry the worker is killed and the caller gets a clear error. Requests
/// come from the session's VM thread; the lock only guards `isAlive` queries from elsewhere.
final class PythonBridge: @unchecked Sendable {
    /// What went wrong talking to the worker (the caller prefixes the operation name).
    enum Failure: Error {
        /// The worker answered `status: "error"`.
        case python(message: String, traceback: String?)
        case timedOut
        case died
        case unavailable(String)
    }

    private let lock = NSLock()
    private var process: Process?
    private var toWorker: Int32 = -1
    private var fromWorker: Int32 = -1
    private var buffer: [UInt8] = []
    /// Removes the process's secrets from every reply (set when the worker starts).
    private var scrubber = SecretScrubber(secrets: [])

    /// What the worker may touch; read when it starts.
    var reach: PythonReach = .full
    /// The copy-on-write scratch area and change record (`reach.mode == .copyOnWrite`).
    var dryRunArea: PythonDryRunArea?
    /// A request to send right after the worker starts (the current `context`), nil for none.
    var startupRequest: (() -> String?)?

    init() {}

    deinit { stop() }

    /// Whether a worker process is running now.
    var isAlive: Bool {
        lock.lock(); defer { lock.unlock() }
        return process?.isRunning ?? false
    }

    /// Sends one request (a JSON object text) and returns the worker's reply as a Scheme hash
    /// (symbol keys; big integers stay exact). `timeout` is in seconds (infinity = wait forever).
    func request(_ json: String, timeout: Double) throws(Failure) -> HashTable {
        try ensureRunning()
        if !send(json + "\n") {
            // The worker died before reading anything: nothing ran, so a fresh one may take it.
            stop()
            try ensureRunning()
            guard send(json + "\n") else { stop(); throw .died }
        }
        let line = scrubber.clean(try readLine(timeout: timeout))
        var parser = JSONParser(line, builder: SchemeJSONBuilder(), who: "py-bridge")
        guard let reply = try? parser.parseDocument(), case .hash(let table) = reply else {
            throw .python(message: "py-bridge: unreadable reply from the worker: \(line.prefix(200))", traceback: nil)
        }
        dryRunArea?.record(PythonDryRunArea.changes(in: table))
        if case .string(let status)? = table.get(.sym("status")), status.string == "error" {
            var message = ""
            if case .string(let m)? = table.get(.sym("message")) { message = m.string }
            var trace: String?
            if case .string(let t)? = table.get(.sym("traceback")), !t.string.isEmpty { trace = t.string }
            throw .python(message: message, traceback: trace)
        }
        return table
    }

    /// Sends a request only when the worker is already running (used to mirror `context`).
    func requestIfRunning(_ json: String, timeout: Double) {
        guard isAlive, !hasHungUp() else { return }
        _ = try? request(json, timeout: timeout)
    }

    /// Kills the worker (if any) and forgets it.
    func stop() {
        lock.lock()
        let p = process
        process = nil
        lock.unlock()
        if toWorker >= 0 { close(toWorker); toWorker = -1 }
        if fromWorker >= 0 { close(fromWorker); fromWorker = -1 }
        buffer.removeAll()
        if let p, p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    /// The worker's process id, nil when none is running (tests kill it to simulate a crash).
    var processIdentifier: Int32? {
        lock.lock(); defer { lock.unlock() }
        guard let p = process, p.isRunning else { return nil }
        return p.processIdentifier
    }

    // MARK: - Process

    private func ensureRunning() throws(Failure) {
        if process != nil, process!.isRunning, !hasHungUp() { return }
        if process != nil { stop() }
        try start()
        // A fresh worker learns the session's state (its `context`) before the request it serves;
        // waiting for its answer also keeps the interpreter's start-up out of python-seconds.
        let json = startupRequest?() ?? #"{"op":"ping"}"#
        guard send(json + "\n") else { stop(); throw .died }
        do { _ = try readLine(timeout: Self.startupSeconds) } catch .timedOut {
            throw .unavailable("the Python worker did not start within \(Int(Self.startupSeconds)) s")
        }
    }

    /// True when the worker's stdout reports end of file (the worker is gone but not yet reaped).
    private func hasHungUp() -> Bool {
        guard fromWorker >= 0 else { return true }
        var pfd = pollfd(fd: fromWorker, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 0) > 0 else { return false }
        if pfd.revents & Int16(POLLHUP) != 0 && pfd.revents & Int16(POLLIN) == 0 { return true }
        if pfd.revents & Int16(POLLIN) != 0 {
            // Between requests nothing should arrive; EOF means the worker exited.
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fromWorker, &chunk, chunk.count)
            return n <= 0
        }
        return pfd.revents & Int16(POLLERR | POLLNVAL) != 0
    }

    private func start() throws(Failure) {
        PythonBridge.ignoreSigpipe
        guard let interpreter = PythonBridge.interpreterPath() else {
            throw .unavailable("python3 not found (set RLM_PYTHON to a Python interpreter)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: interpreter)
        if reach.mode == .copyOnWrite {
            // -B: importing a module must not write __pycache__ beside the user's files.
            let area = dryRunArea ?? PythonDryRunArea(workingFolder: reach.resolvedWorkingFolder)
            dryRunArea = area
            let scratch: String
            do { scratch = try area.scratch() } catch {
                throw .unavailable("cannot create the simulation's scratch folder: \(error)")
            }
            p.arguments = ["-u", "-B", "-c", PythonBridgeScript.source(dryRun: true), "--dry-run", scratch]
            p.currentDirectoryURL = URL(fileURLWithPath: area.workingFolder)
        } else {
            p.arguments = ["-u", "-c", PythonBridgeScript.source(dryRun: false)]
        }
        if reach.mode == .full, reach.workingFolder != nil {
            p.currentDirectoryURL = URL(fileURLWithPath: reach.resolvedWorkingFolder)
        }
        p.environment = PythonWorkerEnvironment.forWorker(reach.mode)
        scrubber = SecretScrubber(secrets: PythonWorkerEnvironment.secretValues())
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        do {
            try p.run()
        } catch {
            throw .unavailable("cannot start \(interpreter): \(error)")
        }
        // Keep our own descriptors so closing them never races Foundation's handles.
        toWorker = dup(input.fileHandleForWriting.fileDescriptor)
        fromWorker = dup(output.fileHandleForReading.fileDescriptor)
        try? input.fileHandleForWriting.close()
        try? output.fileHandleForReading.close()
        buffer.removeAll()
        lock.lock()
        process = p
        lock.unlock()
    }

    /// How long a starting worker may take to answer its first request (a loaded machine is slow).
    static let startupSeconds: Double = 60

    private static let ignoreSigpipe: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// `RLM_PYTHON`, else `$VIRTUAL_ENV/bin/python3`, else `python3` on `PATH`.
    static func interpreterPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        func resolve(_ name: String) -> String? {
            if name.contains("/") { return fm.isExecutableFile(atPath: name) ? name : nil }
            for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if fm.isExecutableFile(atPath: candidate) { return candidate }
            }
            return nil
        }
        if let p = env["RLM_PYTHON"], !p.isEmpty, let found = resolve(p) { return found }
        if let v = env["VIRTUAL_ENV"], !v.isEmpty, let found = resolve(v + "/bin/python3") { return found }
        return resolve("python3")
    }

    // MARK: - I/O

    private func send(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw in
                write(toWorker, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    private func readLine(timeout: Double) throws(Failure) -> String {
        let deadline = timeout.isFinite ? DispatchTime.now().uptimeNanoseconds + UInt64(max(timeout, 0) * 1e9) : UInt64.max
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            var waitMs: Int32 = -1
            if deadline != .max {
                let now = DispatchTime.now().uptimeNanoseconds
                if now >= deadline { stop(); throw .timedOut }
                waitMs = Int32(min((deadline - now) / 1_000_000 + 1, UInt64(Int32.max)))
            }
            var pfd = pollfd(fd: fromWorker, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                stop(); throw .died
            }
            if ready == 0 { continue }
            let n = read(fromWorker, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { stop(); throw .died }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
