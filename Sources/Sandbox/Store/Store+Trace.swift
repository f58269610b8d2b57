import Foundation

/// Call traces: one `CallRecord` per model call of a run, in the order they were appended.
///
/// `run` is the caller's name for one execution (unlike a journal, a resumed run is a new run
/// with its own trace). Order is the table's `seq` (SQLite's rowid), which grows with each
/// insert, so reading back needs no clock and ties cannot reorder records.
extension Store {
    /// Appends `record` to `run`'s trace in one committed transaction.
    ///
    /// - Throws: `StoreError` naming the database file.
    func appendTrace(run: String, _ record: CallRecord) throws {
        try write("""
            INSERT INTO call_trace(run, id, parent, depth, model, prompt_tokens, completion_tokens, cost, latency,
                                   started_at, ended_at, status, error, site_line, site_source, retries, limit_requests,
                                   limit_tokens)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
            """, [.text(run), .text(record.id), .nullable(record.parent), .int(record.depth), .text(record.model),
                  .int(record.promptTokens), .int(record.completionTokens), .nullable(record.cost),
                  .double(record.latency), .double(record.startedAt), .double(record.endedAt), .text(record.status),
                  .nullable(record.error), .nullable(record.siteLine), .nullable(record.siteSource),
                  .nullable(record.retries), .nullable(record.limitRequests), .nullable(record.limitTokens)],
            "append to the call trace")
    }

    /// `run`'s records in the order they were appended; empty for an unknown run.
    ///
    /// - Throws: `StoreError` naming the database file.
    func trace(run: String) throws -> [CallRecord] {
        try query("""
            SELECT id, parent, depth, model, prompt_tokens, completion_tokens, cost, latency, started_at, ended_at,
                   status, error, site_line, site_source, retries, limit_requests, limit_tokens
            FROM call_trace WHERE run = ?1 ORDER BY seq
            """, [.text(run)], "read the call trace") { row in
            CallRecord(id: row.text(0), parent: row.optionalText(1), depth: row.int(2), model: row.text(3),
                       promptTokens: row.int(4), completionTokens: row.int(5), cost: row.optionalDouble(6),
                       latency: row.double(7), startedAt: row.double(8), endedAt: row.double(9), status: row.text(10),
                       error: row.optionalText(11), siteLine: row.optionalInt(12), siteSource: row.optionalText(13))
                .withCalibrationFields(retries: row.optionalInt(14), limitRequests: row.optionalInt(15), limitTokens: row.optionalInt(16))
        }
    }
}

extension Store {
    /// Every recorded call of every run, oldest first (calibration reads them all).
    ///
    /// - Throws: `StoreError` naming the database file.
    func allTraces() throws -> [CallRecord] {
        try query("""
            SELECT id, parent, depth, model, prompt_tokens, completion_tokens, cost, latency, started_at, ended_at,
                   status, error, site_line, site_source, retries, limit_requests, limit_tokens
            FROM call_trace ORDER BY seq
            """, [], "read the call traces") { row in
            CallRecord(id: row.text(0), parent: row.optionalText(1), depth: row.int(2), model: row.text(3),
                       promptTokens: row.int(4), completionTokens: row.int(5), cost: row.optionalDouble(6),
                       latency: row.double(7), startedAt: row.double(8), endedAt: row.double(9), status: row.text(10),
                       error: row.optionalText(11), siteLine: row.optionalInt(12), siteSource: row.optionalText(13))
                .withCalibrationFields(retries: row.optionalInt(14), limitRequests: row.optionalInt(15), limitTokens: row.optionalInt(16))
        }
    }
}

extension CallRecord {
    /// This record with the fields schema version 3 added.
    func withCalibrationFields(retries: Int?, limitRequests: Int?, limitTokens: Int?) -> CallRecord {
        var copy = self
        copy.retries = retries
        copy.limitRequests = limitRequests
        copy.limitTokens = limitTokens
        return copy
    }
}

/// Read access to the call traces real runs left in a workspace store (for calibration).
public enum TraceArchive {
    /// All recorded calls in the store at `path` (nil: `$RLM_STORE`, else `.rlm/state.sqlite`);
    /// empty when the store does not exist.
    public static func records(storePath: String?) throws -> [CallRecord] {
        let store = Store(path: Store.resolvePath(storePath))
        guard FileManager.default.fileExists(atPath: store.path) else { return [] }
        return try store.allTraces()
    }
}
