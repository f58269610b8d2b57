// TEMPORARY until the store-catalog branch lands (it provides these for real).
extension ModelRequest { var contentKey: String { "\(model)|\(messages)|\(String(describing: temperature))|\(String(describing: maxTokens))|\(jsonMode)" } }
extension Store {
    func cachedReply(contentKey: String) throws -> ModelReply? { nil }
    func cacheReply(contentKey: String, model: String, reply: ModelReply) throws {}
    func journaledReply(journal: String, contentKey: String, occurrence: Int) throws -> ModelReply? { nil }
    func journalReply(journal: String, contentKey: String, occurrence: Int, reply: ModelReply) throws {}
}
