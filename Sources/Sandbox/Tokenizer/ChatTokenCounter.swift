/// Prompt token counts of chat requests, as OpenAI counts them.
///
/// The rule is OpenAI's, from the Cookbook notebook "How to count tokens with tiktoken"
/// (`num_tokens_from_messages`, for gpt-3.5-turbo-0613 and every later chat model): each message
/// costs 3 tokens of framing (`<|start|>`, the separator after the role, `<|end|>`) plus the tokens
/// of its role and of its content, and every reply is primed with 3 more
/// (`<|start|>assistant<|message|>`):
///
///     prompt = Σ (3 + tokens(role) + tokens(content)) + 3
///
/// A message's `name` field would add 1; `ChatMessage` has none. Images are not counted (their
/// cost depends on size and detail, not on text), nor are tool definitions or `response_format`.
public enum ChatTokenCounter {
    /// Framing tokens of every message.
    static let tokensPerMessage = 3
    /// Tokens that prime the reply.
    static let replyPriming = 3

    /// The prompt tokens of `messages` in `encoding`.
    ///
    /// Should the rank file be missing (`BPETokenizer.shared(_:)` throws), each text is estimated
    /// by `TokenEstimate` (the one estimate for text without a tokenizer), so a simulation still runs.
    public static func promptTokens(messages: [ChatMessage], encoding: TokenizerEncoding) -> Int {
        if let tokenizer = try? BPETokenizer.shared(encoding) {
            return promptTokens(messages: messages, count: tokenizer.count)
        }
        return promptTokens(messages: messages, count: TokenEstimate.tokens)
    }

    /// The prompt tokens of `messages` when `count` gives the tokens of one text.
    static func promptTokens(messages: [ChatMessage], count: (String) -> Int) -> Int {
        var total = replyPriming
        for message in messages {
            total += tokensPerMessage + count(message.role) + count(message.content)
        }
        return total
    }

    /// The encoding of an OpenAI model, or nil when the model is unknown (or not OpenAI's).
    ///
    /// The table is tiktoken 0.14.0's (`tiktoken/model.py`, `MODEL_TO_ENCODING` and
    /// `MODEL_PREFIX_TO_ENCODING`) limited to these two encodings and widened to every `o4-…` and
    /// `text-embedding-3-…` name; a leading `openai/` is ignored.
    public static func encoding(forModel model: String) -> TokenizerEncoding? {
        let name = model.hasPrefix("openai/") ? String(model.dropFirst("openai/".count)) : model
        if let e = exactNames[name] { return e }
        for (prefix, e) in prefixes where name.hasPrefix(prefix) { return e }
        return nil
    }

    private static let exactNames: [String: TokenizerEncoding] = [
        "o1": .o200kBase, "o3": .o200kBase, "o4": .o200kBase, "o4-mini": .o200kBase, "gpt-5": .o200kBase, "gpt-4.1": .o200kBase,
        "gpt-4o": .o200kBase,
        "gpt-4": .cl100kBase, "gpt-3.5-turbo": .cl100kBase, "gpt-3.5": .cl100kBase, "gpt-35-turbo": .cl100kBase,
        "davinci-002": .cl100kBase, "babbage-002": .cl100kBase, "text-embedding-ada-002": .cl100kBase,
        "text-embedding-3-small": .cl100kBase, "text-embedding-3-large": .cl100kBase,
    ]

    /// Checked in order: the first match wins (`gpt-4.1-` before `gpt-4-`, `ft:gpt-4o` before `ft:gpt-4`).
    private static let prefixes: [(String, TokenizerEncoding)] = [
        ("o1-", .o200kBase), ("o3-", .o200kBase), ("o4-", .o200kBase), ("gpt-5", .o200kBase),
        ("gpt-4.5-", .o200kBase), ("gpt-4.1-", .o200kBase), ("chatgpt-4o-", .o200kBase), ("gpt-4o-", .o200kBase),
        ("gpt-4-", .cl100kBase), ("gpt-3.5-turbo-", .cl100kBase), ("gpt-35-turbo-", .cl100kBase),
        ("text-embedding-3-", .cl100kBase),
        ("ft:gpt-4o", .o200kBase), ("ft:gpt-4", .cl100kBase), ("ft:gpt-3.5-turbo", .cl100kBase),
        ("ft:davinci-002", .cl100kBase), ("ft:babbage-002", .cl100kBase),
    ]
}
