#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// The workspace store behind `checkpoint`/`restore` (reference §2.7, §4.4, §10.2, §10.19, §11):
/// round trips, missing keys, errors, keys as data, persistence across `reset`, sessions and a
/// SIGKILLed process. Each test has its own temporary directory.

/// A fresh temporary directory, removed by `cleanup()`.
private struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var dbPath: String { url.appendingPathComponent(".rlm/state.sqlite").path }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Evaluates `code` and returns the `finish` value's display text, or the error message.
private func finished(_ session: SandboxSession, _ code: String) -> String {
    let r = session.eval(code)
    switch r.status {
    case .finished: return r.result
    case .error: return "error: \(r.error?.message ?? "")"
    case .ok: return "ok"
    }
}

@Suite("checkpoint and restore")
struct StoreTests {
    @Test func roundTripsJSONValues() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(finish (checkpoint "s" "hello"))"#) == "hello")
        #expect(finished(s, #"(finish (restore "s"))"#) == "hello")
        #expect(finished(s, #"(checkpoint "n" 42) (finish (+ 1 (restore "n")))"#) == "43")
        #expect(finished(s, #"(checkpoint "f" 2.5) (finish (restore "f"))"#) == "2.5")
        #expect(finished(s, #"(checkpoint "l" (list 1 "two" #t #f)) (finish (restore "l"))"#) == "(1 two #t #f)")
        #expect(finished(s, #"(checkpoint "e" '()) (finish (restore "e"))"#) == "()")
        #expect(finished(s, #"(checkpoint "h" (hash 'a (list 1 2.5 "x"))) (finish (hash-ref (restore "h") 'a))"#) == "(1 2.5 x)")
        #expect(finished(s, #"(finish (restore "h"))"#) == "#hasheq((a . (1 2.5 x)))")
        #expect(finished(s, #"(finish (hash-eq? (restore "h")))"#) == "#t")
        #expect(finished(s, #"(checkpoint "deep" (hash 'outer (hash 'inner (list (hash 'k "v"))))) (finish (hash-ref (car (hash-ref (hash-ref (restore "deep") 'outer) 'inner)) 'k))"#) == "v")
        #expect(finished(s, #"(checkpoint "null" 'null) (finish (restore "null"))"#) == "null")
        #expect(finished(s, #"(checkpoint "big" 123456789012345678) (finish (restore "big"))"#) == "123456789012345678")
    }

    @Test func unicodeKeysAndValues() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(checkpoint "clé 🔑" "naïve — 日本語 🎉\n\"q\"") (finish (restore "clé 🔑"))"#) == "naïve — 日本語 🎉\n\"q\"")
        #expect(finished(s, #"(finish (string-length (restore "clé 🔑")))"#) == "17")
        #expect(finished(s, #"(checkpoint "nul\u0000key" "a\u0000b") (finish (string-length (restore "nul\u0000key")))"#) == "3")
        #expect(finished(s, #"(finish (restore "nul"))"#) == "#f")
    }

    @Test func overwriteKeepsTheLatestValue() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(checkpoint "k" 1) (checkpoint "k" (list 2 3)) (finish (restore "k"))"#) == "(2 3)")
        #expect(s.checkpointNames() == ["k"])
    }

    @Test func missingKeyIsFalse() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(finish (restore "absent"))"#) == "#f")
        #expect(finished(s, #"(finish (or (restore "absent") "default"))"#) == "default")
        #expect(finished(s, #"(finish (restore ""))"#) == "#f")
    }

    @Test func checkpointBangIsAnAlias() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(finish (checkpoint! "b" (list 1 2)))"#) == "(1 2)")
        #expect(finished(s, #"(finish (restore "b"))"#) == "(1 2)")
        #expect(s.scopeLog.filter { $0.op == "checkpoint" }.map(\.datumPreview) == ["b"])
    }

    @Test func errors() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(checkpoint "" 1)"#) == "error: checkpoint: key required")
        let top = finished(s, #"(checkpoint "stx" (datum->syntax #f "x"))"#)
        #expect(top.contains("checkpoint: cannot store a syntax object") && top.contains("syntax-e"))
        let nested = finished(s, #"(checkpoint "stx" (list 1 (datum->syntax #f "x")))"#)
        #expect(nested.contains("cannot store a syntax object") && nested.contains("syntax-e"))
        #expect(finished(s, #"(checkpoint "stx" (syntax-e (datum->syntax #f "x"))) (finish (restore "stx"))"#) == "x")
        #expect(finished(s, #"(checkpoint "v" (vector 1 2))"#).contains("legal JSON value"))
        #expect(finished(s, #"(checkpoint 'sym 1)"#).contains("string?"))
        #expect(finished(s, #"(restore 42)"#).contains("string?"))
        // A failed checkpoint stores nothing.
        #expect(s.checkpointNames() == ["stx"])
        // Errors are catchable like any other failure.
        #expect(finished(s, #"(finish (with-handlers ([exn:fail? exn-message]) (checkpoint "" 1)))"#) == "checkpoint: key required")
    }

    @Test func unusableStoreGivesAnIOErrorNamingTheFile() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        // A regular file where the store's directory should be.
        let blocker = dir.url.appendingPathComponent("blocker")
        #expect(FileManager.default.createFile(atPath: blocker.path, contents: Data("x".utf8)))
        let path = blocker.appendingPathComponent("state.sqlite").path
        let s = SandboxSession(storePath: path)
        let r = s.eval(#"(checkpoint "k" 1)"#)
        #expect(r.status == .error)
        #expect(r.error?.code == .io)
        #expect(r.error?.message.hasPrefix("checkpoint: ") == true)
        #expect(r.error?.message.contains(path) == true)
        #expect(s.checkpointNames() == [])
        #expect(s.eval(#"(finish 1)"#).result == "1")
    }

    @Test func pathLikeKeysAreData() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        let keys = ["../../etc/passwd", "/tmp/abs", "a/b/c", "..", "con:", "x.json"]
        for key in keys {
            #expect(finished(s, "(checkpoint \"\(key)\" \"v\") (finish (restore \"\(key)\"))") == "v")
        }
        #expect(s.checkpointNames() == keys.sorted())
        // Only the database (and its WAL companions) exists, all inside `.rlm`.
        let top = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(top == [".rlm"])
        let inside = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent(".rlm").path)
        #expect(Set(inside).isSubset(of: ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"]))
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("a").path))
    }

    @Test func checkpointsSurviveResetAndNewSessions() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(define x 1) (checkpoint "kept" (hash 'n 7)) (finish "done")"#) == "done")
        s.reset()
        #expect(finished(s, #"(finish (hash-ref (restore "kept") 'n))"#) == "7")
        #expect(s.eval("x").status == .error)
        let other = SandboxSession(storePath: dir.dbPath)
        #expect(finished(other, #"(finish (hash-ref (restore "kept") 'n))"#) == "7")
        #expect(finished(other, #"(checkpoint "second" 2) (finish "ok")"#) == "ok")
        #expect(finished(s, #"(finish (restore "second"))"#) == "2")
        #expect(s.checkpointNames() == ["kept", "second"])
        #expect(other.checkpointNames() == ["kept", "second"])
    }

    @Test func openedLazilyInWALMode() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, "(finish (+ 1 2))") == "3")
        #expect(s.checkpointNames() == [])
        #expect(!FileManager.default.fileExists(atPath: dir.dbPath), "no checkpoint, no database")
        #expect(finished(s, #"(checkpoint "k" 1) (finish "ok")"#) == "ok")
        #expect(FileManager.default.fileExists(atPath: dir.dbPath))
        #expect(FileManager.default.fileExists(atPath: dir.dbPath + "-wal"))
        let store = Store(path: dir.dbPath)
        #expect(!store.isOpen)
        #expect(try store.journalMode() == "wal")
        #expect(try store.get(key: "k") == "1")
        #expect(try store.keys() == ["k"])
    }

    @Test func storeAPIDirectly() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let store = Store(path: dir.url.appendingPathComponent("nested/deeper/db.sqlite").path)
        #expect(try store.get(key: "x") == nil)
        try store.put(key: "x", valueJSON: #"{"a":[1,2]}"#)
        try store.put(key: "b", valueJSON: "true")
        #expect(try store.get(key: "x") == #"{"a":[1,2]}"#)
        #expect(try store.keys() == ["b", "x"])
        store.close()
        #expect(try store.get(key: "b") == "true", "reopens after close")
    }

    @Test func storePathResolution() {
        #expect(Store.resolvePath("/a/b.sqlite") == "/a/b.sqlite")
        let fallback = Store.resolvePath(nil)
        if let env = ProcessInfo.processInfo.environment["RLM_STORE"], !env.isEmpty {
            #expect(fallback == env)
        } else {
            #expect(fallback == ".rlm/state.sqlite")
        }
        let relative = Store(path: "rel/state.sqlite")
        #expect(relative.path == FileManager.default.currentDirectoryPath + "/rel/state.sqlite")
        #expect(!FileManager.default.fileExists(atPath: relative.path))
    }

    @Test func scopeLogEntries() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = SandboxSession(storePath: dir.dbPath)
        _ = s.eval(#"(checkpoint "alpha" 1) (restore "alpha") (restore "missing")"#)
        let entries = s.scopeLog.filter { $0.op == "checkpoint" || $0.op == "restore" }
        #expect(entries == [
            ScopeLogEntry(op: "checkpoint", datumPreview: "alpha", scope: "sandbox"),
            ScopeLogEntry(op: "restore", datumPreview: "alpha", scope: "sandbox"),
            ScopeLogEntry(op: "restore", datumPreview: "missing", scope: "sandbox"),
        ])
        let long = String(repeating: "k", count: 200)
        _ = s.eval("(checkpoint \"\(long)\" 1)")
        #expect(s.scopeLog.last?.datumPreview.count == 80)
        s.reset()
        #expect(s.scopeLog.isEmpty)
    }

    @Test(.timeLimit(.minutes(3)))
    func checkpointSurvivesSIGKILL() throws {
        let binary = try #require(Self.binary, "rlm-plan is not built; run `swift build` first")
        let dir = try TempDir(); defer { dir.cleanup() }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["eval", "--fuel", "1000000000000", "--cpu-seconds", "120", "--wall-seconds", "120", "-e",
                             #"(checkpoint "first" (hash 'v "committed")) (let loop ([i 0]) (checkpoint "counter" i) (loop (+ i 1)))"#]
        var env = ProcessInfo.processInfo.environment
        env["RLM_STORE"] = dir.dbPath
        process.environment = env
        process.currentDirectoryURL = dir.url
        process.standardOutput = FileHandle.nullDevice
        // The child's stderr goes to a file, shown if it stops early (a slow, loaded machine).
        let errURL = dir.url.appendingPathComponent("child-stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Wait until the child is busy rewriting "counter", then kill it mid-stream.
        let watcher = Store(path: dir.dbPath)
        let deadline = Date().addingTimeInterval(120)
        var seen = -1
        while Date() < deadline && process.isRunning {
            if FileManager.default.fileExists(atPath: dir.dbPath),
               let text = try? watcher.get(key: "counter"), let n = Int(text), n >= 5 {
                seen = n
                break
            }
            usleep(20_000)
        }
        let childError = { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
        #expect(seen >= 5, "the child never reached 5 checkpoints; stderr: \(childError())")
        #expect(process.isRunning, "the child stopped by itself; stderr: \(childError())")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        watcher.close()

        let s = SandboxSession(storePath: dir.dbPath)
        #expect(finished(s, #"(finish (hash-ref (restore "first") 'v))"#) == "committed")
        let counter = finished(s, #"(finish (restore "counter"))"#)
        #expect((Int(counter) ?? -1) >= seen, "last committed counter \(counter) < seen \(seen)")
        #expect(s.checkpointNames() == ["counter", "first"])
    }

    static let binary: URL? = BuiltBinary.url
}
