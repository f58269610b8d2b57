import Foundation

/// The response cache: replies of deterministic requests by `ModelRequest.contentKey`, shared by
/// every run and session on the same store.
///
/// Opt-in by the caller: only a request whose reply is a function of the request alone
/// (`ModelRequest.isDeterministic`, and the user asked for caching) should be cached, because a
/// hit replaces a real call. Only the text and the token counts are kept; latency, rate limits
/// and attempts describe the original call, not this one.
extension Store {
    /// The cached reply for `contentKey`, nil on a miss. A hit has latency 0 and 1 attempt: it
    /// came from disk.
    ///
    /// - Throws: `StoreError` naming the database file.
    func cachedReply(contentKey: String) throws -> ModelReply? {
        try query("""
            SELECT text, prompt_tokens, completion_tokens FROM response_cache WHERE content_key = ?1
            """, [.text(contentKey)], "read the response cache") { row in
            ModelReply(text: row.text(0), promptTokens: row.int(1), completionTokens: row.int(2))
        }.first
    }

    /// Stores `reply` under `contentKey` (replacing an older one) in one committed transaction.
    /// `model` is kept for inspection and pruning; it is already part of the key.
    ///
    /// - Throws: `StoreError` naming the database file.
    func cacheReply(contentKey: String, model: String, reply: ModelReply) throws {
        try write("""
            INSERT INTO response_cache(content_key, model, text, prompt_tokens, completion_tokens, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT(content_key) DO UPDATE SET model = excluded.model, text = excluded.text,
                prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                created_at = excluded.created_at
            """, [.text(contentKey), .text(model), .text(reply.text), .int(reply.promptTokens),
                  .int(reply.completionTokens), .double(Date().timeIntervalSince1970)],
            "write the response cache")
    }
}
