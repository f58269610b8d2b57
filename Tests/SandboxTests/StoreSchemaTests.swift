import CSQLite
import Foundation
import Testing
@testable import Sandbox

/// Store schema version 2: migrating a version 1 database in place, the response cache, the call
/// journal and the call trace, each surviving a new `Store` on the same file.

/// A fresh database path in its own temporary directory, removed by `cleanup()`.
private struct TempStore {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    var path: String { dir.appendingPathComponent("state.sqlite").path }
    func cleanup() { try? FileManager.default.removeItem(at: dir) }
}

/// Runs `sql` on the file at `path` with SQLite directly, as an older build (or another tool) would.
private func rawExec(_ path: String, _ sql: String) throws {
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK else { throw StoreError("open \(path)") }
    defer { sqlite3_close(db) }
    var message: UnsafeMutablePointer<CChar>?
    guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
        defer { sqlite3_free(message) }
        throw StoreError(message.map { String(cString: $0) } ?? "exec failed")
    }
}

@Suite("store schema v3")
struct StoreSchemaTests {
    @Test("a version 1 database is migrated in place and keeps its checkpoints")
    func migratesVersion1() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        // Exactly what the version 1 build created.
        try rawExec(tmp.path, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE checkpoints(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, updated_at REAL NOT NULL);
            INSERT INTO checkpoints VALUES ('plan', '{"step":3}', 1.5), ('../../etc/passwd', '"x"', 2.5);
            PRAGMA user_version = 1;
            """)
        let store = Store(path: tmp.path)
        #expect(try store.get(key: "plan") == #"{"step":3}"#)
        #expect(try store.keys() == ["../../etc/passwd", "plan"])
        #expect(try store.schemaVersionOnDisk() == 3)
        try store.cacheReply(contentKey: "k", model: "gpt-4o", reply: ModelReply(text: "t", promptTokens: 1, completionTokens: 2))
        try store.put(key: "plan", valueJSON: #"{"step":4}"#)
        store.close()

        let reopened = Store(path: tmp.path)
        #expect(try reopened.schemaVersionOnDisk() == 3)
        #expect(try reopened.get(key: "plan") == #"{"step":4}"#)
        #expect(try reopened.cachedReply(contentKey: "k")?.text == "t")
    }

    @Test("a new database starts at version 3; a newer one is refused with its path")
    func versions() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        let store = Store(path: tmp.path)
        #expect(try store.schemaVersionOnDisk() == Store.schemaVersion)
        #expect(Store.schemaVersion == 3)
        store.close()
        try rawExec(tmp.path, "PRAGMA user_version = 4;")
        let newer = Store(path: tmp.path)
        do {
            _ = try newer.get(key: "x")
            Issue.record("a version 4 database must be refused")
        } catch let error as StoreError {
            #expect(error.message == "the store \(tmp.path) has schema version 4, newer than this build understands (3)")
        }
    }

    @Test("version 3 keeps a call's retries and the server's rate limits in the trace; older rows read them as nil")
    func traceKeepsRetriesAndLimits() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        let store = Store(path: tmp.path)
        var record = CallRecord(id: "call_1", model: "gpt-4o", promptTokens: 10, completionTokens: 5, latency: 1,
                                startedAt: 0, endedAt: 1, status: "ok")
        try store.appendTrace(run: "r", record)
        record.id = "call_2"
        record.retries = 2
        record.limitRequests = 500
        record.limitTokens = 30_000
        try store.appendTrace(run: "r", record)
        let back = try store.trace(run: "r")
        #expect(back.count == 2)
        #expect(back[0].retries == nil && back[0].limitRequests == nil)
        #expect(back[1].retries == 2 && back[1].limitRequests == 500 && back[1].limitTokens == 30_000)
        #expect(try store.allTraces().map(\.retries) == [nil, 2])
    }

    @Test("response cache round trip, misses and replacement")
    func responseCache() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        let request = ModelRequest.forQuery(instruction: "Sum up.", data: "naïve — 日本語 🎉", model: "gpt-4o-mini", temperature: 0)
        let key = request.contentKey
        let store = Store(path: tmp.path)
        #expect(try store.cachedReply(contentKey: key) == nil)
        let reply = ModelReply(text: "résumé 🎉\n\"quoted\"\u{0}end", promptTokens: 42, completionTokens: 7, latency: 1.25,
                               rateLimits: RateLimitSnapshot(limitRequests: 10), attempts: 3)
        try store.cacheReply(contentKey: key, model: request.model, reply: reply)
        // Text and token counts come back; latency, rate limits and attempts belonged to the original call.
        #expect(try store.cachedReply(contentKey: key) == ModelReply(text: reply.text, promptTokens: 42, completionTokens: 7))
        #expect(try store.cachedReply(contentKey: "other") == nil)
        try store.cacheReply(contentKey: key, model: request.model, reply: ModelReply(text: "newer", promptTokens: 1, completionTokens: 1))
        #expect(try store.cachedReply(contentKey: key)?.text == "newer")

        let other = Store(path: tmp.path)
        #expect(try other.cachedReply(contentKey: key)?.text == "newer")
    }

    @Test("journal occurrences are distinct, journals are separate, and clearing forgets one journal")
    func journalOccurrences() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        let store = Store(path: tmp.path)
        let key = ModelRequest.forQuery(instruction: "", data: "roll a die", model: "gpt-4o", temperature: 1).contentKey
        for (i, face) in ["4", "1", "6"].enumerated() {
            try store.journalReply(journal: "run-a", contentKey: key, occurrence: i,
                                   reply: ModelReply(text: face, promptTokens: 5, completionTokens: i + 1))
        }
        try store.journalReply(journal: "run-b", contentKey: key, occurrence: 0, reply: ModelReply(text: "2", promptTokens: 5, completionTokens: 1))

        #expect(try store.journaledReply(journal: "run-a", contentKey: key, occurrence: 0) == ModelReply(text: "4", promptTokens: 5, completionTokens: 1))
        #expect(try store.journaledReply(journal: "run-a", contentKey: key, occurrence: 1)?.text == "1")
        #expect(try store.journaledReply(journal: "run-a", contentKey: key, occurrence: 2)?.text == "6")
        #expect(try store.journaledReply(journal: "run-a", contentKey: key, occurrence: 3) == nil)
        #expect(try store.journaledReply(journal: "run-a", contentKey: "other", occurrence: 0) == nil)
        #expect(try store.journaledReply(journal: "run-b", contentKey: key, occurrence: 0)?.text == "2")

        // A new Store on the same file (the resumed process) sees every committed call.
        let resumed = Store(path: tmp.path)
        #expect(try resumed.journaledReply(journal: "run-a", contentKey: key, occurrence: 2)?.text == "6")
        try resumed.clearJournal("run-a")
        #expect(try resumed.journaledReply(journal: "run-a", contentKey: key, occurrence: 0) == nil)
        #expect(try resumed.journaledReply(journal: "run-b", contentKey: key, occurrence: 0)?.text == "2")
        #expect(try store.journaledReply(journal: "run-a", contentKey: key, occurrence: 1) == nil)
    }

    @Test("trace records come back in append order, per run, with every field")
    func traceOrder() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        let store = Store(path: tmp.path)
        #expect(try store.trace(run: "r1").isEmpty)
        let root = CallRecord(id: "c1", model: "gpt-4o", promptTokens: 120, completionTokens: 30, cost: 0.0006,
                              latency: 0.75, startedAt: 1_700_000_000.125, endedAt: 1_700_000_000.875, status: "ok",
                              siteLine: 3, siteSource: #"(llm-query "Summarize" chunk)"#)
        let child = CallRecord(id: "c2", parent: "c1", depth: 1, model: "mystery-model", startedAt: 1_700_000_000.5,
                               endedAt: 1_700_000_000.5, status: "refused", error: "budget exhausted: 0 tokens left")
        // Same start time as `child`: order must come from the append order, not the clock.
        let cached = CallRecord(id: "c3", parent: "c1", depth: 1, model: "gpt-4o-mini", promptTokens: 10, completionTokens: 2,
                                cost: 0, startedAt: 1_700_000_000.5, endedAt: 1_700_000_000.5, status: "cached")
        try store.appendTrace(run: "r1", root)
        try store.appendTrace(run: "r2", CallRecord(id: "x", model: "m", startedAt: 0, endedAt: 1, status: "cancelled"))
        try store.appendTrace(run: "r1", cached)
        try store.appendTrace(run: "r1", child)

        #expect(try store.trace(run: "r1") == [root, cached, child])
        #expect(try store.trace(run: "r2").map(\.id) == ["x"])
        let reopened = Store(path: tmp.path)
        #expect(try reopened.trace(run: "r1") == [root, cached, child])
        #expect(try reopened.trace(run: "unknown").isEmpty)
    }

    @Test("the store stays lazy: the new tables are created on first use, not at init")
    func stillLazy() throws {
        let tmp = try TempStore(); defer { tmp.cleanup() }
        let store = Store(path: tmp.path)
        #expect(!store.isOpen)
        #expect(!FileManager.default.fileExists(atPath: tmp.path))
        #expect(try store.trace(run: "r").isEmpty)
        #expect(store.isOpen)
        #expect(try store.journalMode() == "wal")
    }
}
