import Foundation
import Testing
import TestSupport
@testable import Sandbox

/// Python in a simulated world (`PythonReach.copyOnWrite`): the user's folder is never changed,
/// the simulation sees its own writes, and every would-be change is recorded.

private let hasPython = PythonBridge.interpreterPath() != nil

/// A Scheme string literal for `s`.
private func lit(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n") + "\""
}

/// A fresh folder holding the user's files.
private func userFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-dry-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
    try "# My project\n".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    try "line 1\n".write(to: dir.appendingPathComponent("log.txt"), atomically: true, encoding: .utf8)
    try "a,b\n1,2\n".write(to: dir.appendingPathComponent("data/table.csv"), atomically: true, encoding: .utf8)
    try "old\n".write(to: dir.appendingPathComponent("old.txt"), atomically: true, encoding: .utf8)
    return dir
}

/// Every file and folder under `dir` with its bytes (nil for folders).
private func snapshot(_ dir: URL) -> [String: Data?] {
    var out: [String: Data?] = [:]
    let base = dir.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
    while let rel = walker.nextObject() as? String {
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir)
        out[rel] = isDir.boolValue ? nil : FileManager.default.contents(atPath: base + "/" + rel)
    }
    return out
}

/// Runs `code` with `py-exec` and returns its stdout, or "ERROR: message".
private func pyExec(_ code: String, in s: SandboxSession) -> String {
    let r = s.eval("(finish (py-exec \(lit(code))))")
    return r.status == .error ? "ERROR: " + (r.error?.message ?? "") : r.result
}

@Suite("Python in a simulation", .enabled(if: hasPython), .serialized)
struct PythonDryRunTests {
    @Test("write, append, delete, rename and mkdir leave the folder byte-for-byte unchanged; the changes are listed")
    func changesStayInScratch() throws {
        let dir = try userFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = snapshot(dir)
        let s = SandboxSession(pythonReach: .copyOnWrite(workingFolder: dir.path))
        #expect(pyExec("open('README.md', 'w').write('mock text')", in: s) == "")
        #expect(pyExec("open('log.txt', 'a').write('line 2\\n')", in: s) == "")
        #expect(pyExec("import os\nos.remove('old.txt')", in: s) == "")
        #expect(pyExec("import os\nos.rename('data/table.csv', 'data/renamed.csv')", in: s) == "")
        #expect(pyExec("import os\nos.mkdir('out')\nopen('out/result.json', 'w').write('{}')", in: s) == "")
        #expect(snapshot(dir) == before)

        // The simulation sees its own world.
        #expect(pyExec("print(open('README.md').read())", in: s) == "mock text\n")
        #expect(pyExec("print(open('log.txt').read(), end='')", in: s) == "line 1\nline 2\n")
        #expect(pyExec("import os\nprint(os.path.exists('old.txt'), sorted(os.listdir('data')), sorted(os.listdir('.')))", in: s)
                == "False ['renamed.csv'] ['README.md', 'data', 'log.txt', 'out']\n")
        #expect(pyExec("import pathlib\nprint(pathlib.Path('data/renamed.csv').read_text(), end='')", in: s) == "a,b\n1,2\n")

        let changes = s.pythonChanges
        #expect(changes.contains(PythonFileChange(kind: .write, path: "README.md", bytes: 9)))
        #expect(changes.contains(PythonFileChange(kind: .append, path: "log.txt", bytes: 7)))
        #expect(changes.contains(PythonFileChange(kind: .delete, path: "old.txt")))
        #expect(changes.contains(PythonFileChange(kind: .rename, path: "data/table.csv", to: "data/renamed.csv")))
        #expect(changes.contains(PythonFileChange(kind: .mkdir, path: "out")))
        #expect(changes.contains(PythonFileChange(kind: .write, path: "out/result.json", bytes: 2)))
        #expect(snapshot(dir) == before)
    }

    @Test("reads see the user's files, unchanged ones included")
    func readsSeeUserFiles() throws {
        let dir = try userFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = SandboxSession(pythonReach: .copyOnWrite(workingFolder: dir.path))
        #expect(pyExec("import csv\nprint(list(csv.reader(open('data/table.csv'))))", in: s) == "[['a', 'b'], ['1', '2']]\n")
        #expect(pyExec("import glob\nprint(sorted(glob.glob('**/*.csv', recursive=True)))", in: s) == "['data/table.csv']\n")
        #expect(s.pythonChanges.isEmpty)
    }

    @Test("subprocess, os.system, sockets and environment changes are refused with a clear error")
    func doorsRefused() throws {
        let dir = try userFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = snapshot(dir)
        let s = SandboxSession(pythonReach: .copyOnWrite(workingFolder: dir.path))
        let sub = pyExec("import subprocess\nsubprocess.run(['rm', 'README.md'])", in: s)
        #expect(sub.contains("PermissionError"))
        #expect(sub.contains("simulation: running other programs (subprocess) is not allowed in a dry run"))
        #expect(pyExec("import os\nos.system('rm README.md')", in: s).contains("not allowed in a dry run"))
        #expect(pyExec("import os\nos.popen('rm README.md').read()", in: s).contains("not allowed in a dry run"))
        let net = pyExec("import socket\nsocket.create_connection(('127.0.0.1', 9))", in: s)
        #expect(net.contains("simulation: network access is not allowed in a dry run"))
        #expect(pyExec("import os\nos.environ['X'] = '1'", in: s).contains("simulation: changing the environment is not allowed"))
        // Writing beneath the translation (the raw C-level calls) is refused too.
        #expect(pyExec("import posix\nposix.open('evil.txt', posix.O_WRONLY | posix.O_CREAT)", in: s).contains("not allowed in a dry run"))
        #expect(pyExec("import _io\n_io.FileIO('evil.txt', 'w')", in: s).contains("not allowed in a dry run"))
        #expect(snapshot(dir) == before)
    }

    @Test("the simulation's world survives a worker crash and a reset of the session")
    func worldSurvivesRestart() throws {
        let dir = try userFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = snapshot(dir)
        let s = SandboxSession(pythonReach: .copyOnWrite(workingFolder: dir.path))
        #expect(pyExec("import os\nopen('new.txt', 'w').write('x')\nos.remove('old.txt')", in: s) == "")
        if let pid = s.pythonProcessIdentifier { kill(pid, SIGKILL) }
        _ = s.eval("(py-eval \"1\")")
        #expect(pyExec("import os\nprint(os.path.exists('new.txt'), os.path.exists('old.txt'))", in: s) == "True False\n")
        s.reset()
        #expect(pyExec("import os\nprint(os.path.exists('new.txt'), os.path.exists('old.txt'))", in: s) == "True False\n")
        #expect(snapshot(dir) == before)
    }

    @Test("a simulated worker starts without the environment's secrets and other variables")
    func minimalEnvironment() throws {
        let dir = try userFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = SandboxSession(pythonReach: .copyOnWrite(workingFolder: dir.path))
        let names = pyExec("import os\nprint(sorted(os.environ))", in: s)
        #expect(!names.contains("API_KEY"))
        #expect(!names.contains("OPENAI"))
        #expect(PythonWorkerEnvironment.forWorker(.copyOnWrite, from: ["PATH": "/bin", "OPENAI_API_KEY": "k", "USER": "me"]) == ["PATH": "/bin"])
    }

    @Test("rlm-plan simulate of a program that writes the README via Python leaves the README unchanged and reports the write")
    func simulateCommandLeavesFolderUnchanged() throws {
        let dir = try userFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = snapshot(dir)
        let program = """
        (define readme (llm-query #:instruction "Write a README for this project"))
        (py-set! "content" (if (string? readme) readme (format "~a" readme)))
        (py-exec "with open('README.md', 'w') as f:\\n    f.write(content)")
        (finish "written")
        """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString).scm")
        try program.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try BuiltBinary.run(["simulate", file.path, "--runs", "1"], directory: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Outcome: finished → written"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("python: a real run would write README.md"), "\(outcome.stdout)")
        #expect(snapshot(dir).filter { !$0.key.hasPrefix(".rlm") } == before)
        let json = try BuiltBinary.run(["simulate", file.path, "--runs", "1", "--json"], directory: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        let write = warnings.first { $0["code"] as? String == "python_side_effect" }
        #expect(write?["path"] as? String == "README.md" && write?["change"] as? String == "write", "\(json.stdout)")
    }
}

/// Issue 9 item 5: Python sees `context` and the named contexts whenever they are set.
@Suite("Python sees the context", .enabled(if: hasPython))
struct PythonContextTests {
    @Test("context set before the worker starts is there when it starts")
    func contextBeforeStart() {
        let s = SandboxSession()
        _ = s.loadContext("hello")
        #expect(!s.pythonAvailable)
        #expect(s.eval(#"(finish (py-exec "print(context)"))"#).result == "hello\n")
    }

    @Test("context set while the worker runs, and named contexts as context_store")
    func contextWhileRunning() {
        let s = SandboxSession()
        #expect(s.eval(#"(py-eval "1")"#).status == .ok)
        _ = s.loadContext("first")
        _ = s.loadContext("the doc", name: "doc")
        #expect(s.eval(#"(finish (py-eval "[context, context_store]"))"#).result == "(the doc #hasheq((doc . the doc)))")
    }

    @Test("a worker restarted after a crash sees the context and named contexts")
    func contextAfterCrash() throws {
        let s = SandboxSession()
        _ = s.loadContext("a named one", name: "n1")
        _ = s.loadContext("hello")
        #expect(s.eval(#"(finish (py-exec "print(context)"))"#).result == "hello\n")
        let pid = try #require(s.pythonProcessIdentifier)
        kill(pid, SIGKILL)
        let first = s.eval(#"(finish (py-exec "print(context, context_store['n1'])"))"#)
        let again = first.status == .error ? s.eval(#"(finish (py-exec "print(context, context_store['n1'])"))"#) : first
        #expect(again.result == "hello a named one\n")
    }

    @Test("over the sandbox-server protocol: load-context then py-exec prints it")
    func contextOverProtocol() {
        let s = SandboxSession()
        let handler = SandboxProtocolHandler(session: s)
        _ = handler.handle(line: #"{"op":"load-context","data":"hello"}"#)
        let reply = handler.handle(line: #"{"op":"eval","code":"(finish (py-exec \"print(context)\"))"}"#) ?? ""
        #expect(reply.contains(#""result":"hello\n""#), "\(reply)")
    }

    @Test("sandbox-server (the binary): load-context then py-exec prints the context")
    func contextOverServerBinary() throws {
        let p = try BuiltBinary.process(["sandbox-server"])
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        let lines = #"{"op":"load-context","data":"hello"}"# + "\n" + #"{"op":"eval","code":"(finish (py-exec \"print(context)\"))"}"# + "\n"
        input.fileHandleForWriting.write(Data(lines.utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(out.contains(#""result":"hello\n""#), "\(out)")
    }
}
