import Foundation

/// The server's default behaviour: a deterministic "model" whose answer is a function of the
/// request alone, so tests and offline demos get the same reply for the same call.
///
/// - Text mode answers `Reply to: <first 60 characters of the last user message>`.
/// - JSON mode answers a JSON object string
///   `{"answer": "<same 60 characters>", "approved": true, "confidence": 0.85}`.
/// - `prompt_tokens` is the characters of all messages / 4 and `completion_tokens` the characters
///   of the answer / 4, each at least 1 (the usual rough ratio for English text).
public enum EchoModel {
    /// How much of the last user message the answer quotes.
    public static let quotedCharacters = 60

    /// Answers `request` as a chat completion with the default rate-limit headers.
    public static func respond(to request: ServedRequest) -> ServedResponse {
        let text = replyText(for: request)
        return ServedResponse.chatCompletion(
            text: text,
            promptTokens: promptTokens(for: request),
            completionTokens: estimatedTokens(characters: text.count),
            model: request.model ?? "echo",
            id: "chatcmpl-\(request.sequence)")
    }

    /// The assistant text the echo model gives for `request`.
    public static func replyText(for request: ServedRequest) -> String {
        let quoted = String(request.lastUserText.prefix(quotedCharacters))
        guard request.jsonMode else { return "Reply to: \(quoted)" }
        let object: [String: Any] = ["answer": quoted, "confidence": 0.85, "approved": true]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Characters of every message (text and image URLs) / 4, at least 1.
    public static func promptTokens(for request: ServedRequest) -> Int {
        let characters = request.messages.reduce(0) { sum, message in
            sum + message.text.count + message.imageURLs.reduce(0) { $0 + $1.count }
        }
        return estimatedTokens(characters: characters)
    }

    /// The token estimate for `characters` characters: characters / 4, at least 1.
    public static func estimatedTokens(characters: Int) -> Int { max(1, characters / 4) }
}
