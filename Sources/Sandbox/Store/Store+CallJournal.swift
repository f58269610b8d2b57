import Foundation

/// The call journal behind `rlm-plan run --resume`: every completed call of a run, so that
/// running the same script again replays the calls that already finished and sends only the
/// rest.
///
/// A row is keyed by (journal, contentKey, occurrence). `journal` is chosen by the caller and
/// names one logical run (e.g. a hash of the script and its context); `occurrence` is how many
/// identical requests (same `contentKey`) the run had made before this one, counting from 0, so
/// a script that asks the same question three times gets three distinct replies back in order.
///
/// Unlike the response cache this records every call, deterministic or not: on resume the run
/// must see the replies it already saw.
extension Store {
    /// The reply recorded for the `occurrence`-th identical request of `journal`, nil when that
    /// call had not completed. It has latency 0 and 1 attempt: it came from disk.
    ///
    /// - Throws: `StoreError` naming the database file.
    func journaledReply(journal: String, contentKey: String, occurrence: Int) throws -> ModelReply? {
        try query("""
            SELECT text, prompt_tokens, completion_tokens FROM call_journal
            WHERE journal = ?1 AND content_key = ?2 AND occurrence = ?3
            """, [.text(journal), .text(contentKey), .int(occurrence)], "read the call journal") { row in
            ModelReply(text: row.text(0), promptTokens: row.int(1), completionTokens: row.int(2))
        }.first
    }

    /// Records a completed call. Each call is its own committed transaction (WAL), so a run
    /// killed with `kill -9` loses at most the call that was in flight.
    ///
    /// - Throws: `StoreError` naming the database file.
    func journalReply(journal: String, contentKey: String, occurrence: Int, reply: ModelReply) throws {
        try write("""
            INSERT INTO call_journal(journal, content_key, occurrence, text, prompt_tokens, completion_tokens, recorded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT(journal, content_key, occurrence) DO UPDATE SET text = excluded.text,
                prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                recorded_at = excluded.recorded_at
            """, [.text(journal), .text(contentKey), .int(occurrence), .text(reply.text), .int(reply.promptTokens),
                  .int(reply.completionTokens), .double(Date().timeIntervalSince1970)],
            "write the call journal")
    }

    /// Forgets every call of `journal` (a run that finished, or a fresh start).
    ///
    /// - Throws: `StoreError` naming the database file.
    func clearJournal(_ journal: String) throws {
        try write("DELETE FROM call_journal WHERE journal = ?1", [.text(journal)], "clear the call journal")
    }
}
