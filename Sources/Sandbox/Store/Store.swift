import CSQLite
import Foundation

/// The workspace store: one SQLite database per workspace (default `.rlm/state.sqlite`) holding
/// the sandbox's checkpoints (reference §2.7, §11), the response cache, the call journal that
/// `rlm-plan run --resume` replays, and call traces.
///
/// Keys are data, never paths (§10.19): `"../../etc/passwd"` is one more row in the
/// `checkpoints` table. The database is opened on first use, so a session that never
/// checkpoints never touches the disk (cold start pays nothing).
///
/// Schema version 2 (`PRAGMA user_version`); times are seconds since 1970:
///
///     -- version 1
///     checkpoints(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL NOT NULL)
///     -- version 2 (added in place to a version 1 database, whose checkpoints stay)
///     response_cache(content_key TEXT PRIMARY KEY, model, text, prompt_tokens, completion_tokens, created_at)
///     call_journal(journal, content_key, occurrence, text, prompt_tokens, completion_tokens, recorded_at,
///                  PRIMARY KEY(journal, content_key, occurrence))
///     call_trace(seq INTEGER PRIMARY KEY, run, id, parent, depth, model, prompt_tokens,
///                completion_tokens, cost, latency, started_at, ended_at, status, error,
///                site_line, site_source)
///
/// `value` is the checkpointed jsexpr as JSON text. The other tables are described in
/// `Store+ResponseCache.swift`, `Store+CallJournal.swift` and `Store+Trace.swift`. Each later
/// version migrates from the `user_version` it finds (see `migrate`).
///
/// Used only from the session's VM thread (like `Runtime`); the session keeps one `Store`
/// across `reset()`, so checkpoints survive a reset.
final class Store: @unchecked Sendable {
    /// The schema this build writes; a database with a higher `user_version` is refused.
    static let schemaVersion: Int32 = 3
    /// The database used when neither `storePath` nor `RLM_STORE` names one (relative to the
    /// current directory when the session starts).
    static let defaultPath = ".rlm/state.sqlite"

    /// Absolute path of the database file.
    let path: String
    private var db: OpaquePointer?
    /// Prepared statements by SQL text, kept until `close()`: each operation's statement is
    /// compiled once per open database rather than once per call.
    private var statements: [String: OpaquePointer] = [:]

    /// A store at `path` (made absolute against the current directory); nothing is opened yet.
    init(path: String) {
        if path.hasPrefix("/") || path == ":memory:" {
            self.path = path
        } else {
            self.path = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent(path).standardizedFileURL.path
        }
    }

    /// The database a session uses: `explicit` if given, else `$RLM_STORE`, else `.rlm/state.sqlite`.
    static func resolvePath(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment["RLM_STORE"], !env.isEmpty { return env }
        return defaultPath
    }

    deinit { close() }

    /// Whether the database has been opened (tests check laziness).
    var isOpen: Bool { db != nil }

    // MARK: Operations

    /// Stores `valueJSON` under `key`, replacing any previous value, in one committed transaction.
    ///
    /// - Throws: `StoreError` naming the database file.
    func put(key: String, valueJSON: String) throws {
        let stmt = try prepared("""
            INSERT INTO checkpoints(key, value, updated_at) VALUES (?1, ?2, ?3)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, 1, key)
        try bind(stmt, 2, valueJSON)
        try check(sqlite3_bind_double(stmt, 3, Date().timeIntervalSince1970), "bind")
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE else { throw failure("write checkpoint", rc) }
    }

    /// The JSON stored under `key`, nil when there is none.
    ///
    /// - Throws: `StoreError` naming the database file.
    func get(key: String) throws -> String? {
        let stmt = try prepared("SELECT value FROM checkpoints WHERE key = ?1")
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, 1, key)
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return Self.text(stmt, 0)
        case SQLITE_DONE: return nil
        case let rc: throw failure("read checkpoint", rc)
        }
    }

    /// Every checkpoint key, sorted by code point (SQLite's BINARY collation on UTF-8).
    ///
    /// - Throws: `StoreError` naming the database file.
    func keys() throws -> [String] {
        let stmt = try prepared("SELECT key FROM checkpoints ORDER BY key")
        defer { sqlite3_reset(stmt) }
        var result: [String] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return result }
            guard rc == SQLITE_ROW else { throw failure("list checkpoints", rc) }
            result.append(Self.text(stmt, 0))
        }
    }

    /// The journal mode SQLite reports (`wal` once open); opens the database.
    func journalMode() throws -> String {
        try openIfNeeded()
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nil), "read journal mode")
        defer { sqlite3_finalize(stmt) }
        guard let stmt, sqlite3_step(stmt) == SQLITE_ROW else { throw failure("read journal mode", sqlite3_errcode(db)) }
        return Self.text(stmt, 0)
    }

    /// Finalizes the statements and closes the database (reopened on next use).
    func close() {
        for stmt in statements.values { sqlite3_finalize(stmt) }
        statements = [:]
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    // MARK: Opening

    private func openIfNeeded() throws {
        guard db == nil else { return }
        if path != ":memory:" {
            let dir = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw StoreError("cannot create the directory \(dir) for the store \(path): \(error.localizedDescription)")
            }
        }
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw StoreError("cannot open the store \(path): \(message)")
        }
        db = handle
        do {
            // Another session (or process) writing the same file waits up to 5 s rather than failing.
            sqlite3_busy_timeout(handle, 5000)
            // WAL: a commit is one append to `state.sqlite-wal`, readers never block the writer,
            // and a process killed mid-write leaves the last committed transaction intact.
            try exec("PRAGMA journal_mode=WAL")
            // NORMAL, not FULL: in WAL mode a commit is complete once it has been written to
            // the WAL file, i.e. handed to the kernel; `kill -9` ends the process, not the kernel,
            // so every committed checkpoint survives it (the test `checkpointSurvivesSIGKILL`
            // shows this). What NORMAL gives up is durability of the last commits across a power
            // loss or OS crash (no fsync per commit), which a planning workspace can accept in
            // exchange for not paying an fsync per checkpoint (and, later, per cached response).
            try exec("PRAGMA synchronous=NORMAL")
            try migrate()
        } catch {
            close()
            throw error
        }
    }

    /// Brings the schema to `schemaVersion`, so a version 1 database keeps its checkpoints and
    /// gains the new tables in place; refuses a database from a newer build.
    ///
    /// The steps run in one `BEGIN IMMEDIATE` transaction that reads the version again under the
    /// write lock: two processes opening an old file at once migrate it once, and a process can
    /// never set back the version a newer build wrote in between. An up-to-date file takes no lock.
    private func migrate() throws {
        let found = try readSchemaVersion()
        if found == Self.schemaVersion { return }
        try refuseNewer(found)
        try exec("BEGIN IMMEDIATE")
        do {
            let version = try readSchemaVersion()
            try refuseNewer(version)
            for (target, sql) in Self.migrations where target > version {
                try exec("\(sql)\nPRAGMA user_version = \(target);")
            }
            try exec("COMMIT")
        } catch {
            if sqlite3_get_autocommit(db) == 0 { sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    private func readSchemaVersion() throws -> Int32 {
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nil), "read the schema version")
        defer { sqlite3_finalize(stmt) }
        guard let stmt, sqlite3_step(stmt) == SQLITE_ROW else { throw failure("read the schema version", sqlite3_errcode(db)) }
        return sqlite3_column_int(stmt, 0)
    }

    private func refuseNewer(_ version: Int32) throws {
        if version > Self.schemaVersion {
            throw StoreError("the store \(path) has schema version \(version), newer than this build understands (\(Self.schemaVersion))")
        }
    }

    /// The schema steps: the SQL that takes a database from the previous version to this one.
    private static let migrations: [(Int32, String)] = [
        (1, """
            CREATE TABLE IF NOT EXISTS checkpoints(
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL,
                updated_at REAL NOT NULL
            );
            """),
        (2, """
            CREATE TABLE IF NOT EXISTS response_cache(
                content_key TEXT PRIMARY KEY NOT NULL,
                model TEXT NOT NULL,
                text TEXT NOT NULL,
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE TABLE IF NOT EXISTS call_journal(
                journal TEXT NOT NULL,
                content_key TEXT NOT NULL,
                occurrence INTEGER NOT NULL,
                text TEXT NOT NULL,
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                recorded_at REAL NOT NULL,
                PRIMARY KEY(journal, content_key, occurrence)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS call_trace(
                seq INTEGER PRIMARY KEY,
                run TEXT NOT NULL,
                id TEXT NOT NULL,
                parent TEXT,
                depth INTEGER NOT NULL,
                model TEXT NOT NULL,
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                cost REAL,
                latency REAL NOT NULL,
                started_at REAL NOT NULL,
                ended_at REAL NOT NULL,
                status TEXT NOT NULL,
                error TEXT,
                site_line INTEGER,
                site_source TEXT
            );
            CREATE INDEX IF NOT EXISTS call_trace_by_run ON call_trace(run, seq);
            """),
        // Calibration's inputs beyond latency and length: retries and the server's rate limits.
        (3, """
            ALTER TABLE call_trace ADD COLUMN retries INTEGER;
            ALTER TABLE call_trace ADD COLUMN limit_requests INTEGER;
            ALTER TABLE call_trace ADD COLUMN limit_tokens INTEGER;
            """),
    ]

    /// The `user_version` of the database file (opens it, and so migrates it).
    func schemaVersionOnDisk() throws -> Int32 {
        try openIfNeeded()
        return try readSchemaVersion()
    }

    // MARK: Statements with bound values

    /// Runs one write statement with `values` bound to `?1`, `?2`, …. Outside an explicit
    /// transaction SQLite commits it on its own, so each call is one committed transaction.
    ///
    /// - Throws: `StoreError` naming the database file and `what` failed.
    func write(_ sql: String, _ values: [SQLValue], _ what: String) throws {
        let stmt = try prepared(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, values)
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE else { throw failure(what, rc) }
    }

    /// Runs one query with `values` bound and maps each result row through `row`.
    ///
    /// - Throws: `StoreError` naming the database file and `what` failed.
    func query<T>(_ sql: String, _ values: [SQLValue], _ what: String, row: (StoreRow) -> T) throws -> [T] {
        let stmt = try prepared(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, values)
        var result: [T] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return result }
            guard rc == SQLITE_ROW else { throw failure(what, rc) }
            result.append(row(StoreRow(stmt: stmt)))
        }
    }

    private func bind(_ stmt: OpaquePointer, _ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text): try bind(stmt, index, text)
            case .int(let int): try check(sqlite3_bind_int64(stmt, index, Int64(int)), "bind")
            case .double(let double): try check(sqlite3_bind_double(stmt, index, double), "bind")
            case .null: try check(sqlite3_bind_null(stmt, index), "bind")
            }
        }
    }

    // MARK: SQLite helpers

    /// The prepared statement for `sql`, opening the database first if needed.
    func prepared(_ sql: String) throws -> OpaquePointer {
        try openIfNeeded()
        if let stmt = statements[sql] { return stmt }
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil), "prepare a statement")
        guard let stmt else { throw StoreError("cannot prepare a statement on the store \(path)") }
        statements[sql] = stmt
        return stmt
    }

    private func exec(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            if sqlite3_get_autocommit(db) == 0 { sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
            throw StoreError("store \(path): \(message)")
        }
    }

    func bind(_ stmt: OpaquePointer, _ index: Int32, _ text: String) throws {
        // The byte count, not -1, so a key with an embedded NUL is not cut short.
        try check(sqlite3_bind_text(stmt, index, text, Int32(text.utf8.count), Self.transient), "bind")
    }

    func check(_ rc: Int32, _ what: String) throws {
        guard rc == SQLITE_OK else { throw failure(what, rc) }
    }

    func failure(_ what: String, _ rc: Int32) -> StoreError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        return StoreError("cannot \(what) in the store \(path): \(message)")
    }

    static func text(_ stmt: OpaquePointer, _ column: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, column) else { return "" }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A value bound to a statement parameter.
enum SQLValue {
    case text(String)
    case int(Int)
    case double(Double)
    case null

    /// `.text`, or `.null` for nil.
    static func nullable(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    /// `.int`, or `.null` for nil.
    static func nullable(_ value: Int?) -> SQLValue { value.map { .int($0) } ?? .null }
    /// `.double`, or `.null` for nil.
    static func nullable(_ value: Double?) -> SQLValue { value.map { .double($0) } ?? .null }
}

/// The current row of a query, read by column index; valid only inside `Store.query`'s closure.
struct StoreRow {
    let stmt: OpaquePointer

    func text(_ column: Int32) -> String { Store.text(stmt, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(stmt, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(stmt, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
}

/// A store failure, its message naming the database file; primitives report it as a
/// `SchemeError` with code `.io`.
struct StoreError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
