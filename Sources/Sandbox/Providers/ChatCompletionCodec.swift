import Foundation

/// The Chat Completions wire format (reference §7.1): request bodies out, replies and error
/// messages in. Kept apart from the transport so the shapes can be read (and tested) in one place.
enum ChatCompletionCodec {
    /// The JSON body for `request`: messages (a user message with images becomes a list of
    /// `text` and `image_url` parts), `max_tokens` and `temperature` only when set (0 is sent),
    /// `response_format: {type: json_object}` in JSON mode.
    static func encode(_ request: ModelRequest) throws -> Data {
        let body = WireRequest(
            model: request.model,
            messages: request.messages.map(WireMessage.init),
            max_tokens: request.maxTokens,
            temperature: request.temperature,
            response_format: request.jsonMode ? WireResponseFormat(type: "json_object") : nil)
        return try JSONEncoder().encode(body)
    }

    /// What a successful reply carries.
    struct Completion: Equatable {
        var text: String
        var promptTokens: Int
        var completionTokens: Int
    }

    /// The first choice's text and the token usage, or nil when `data` is not a chat completion
    /// (no `choices`, or a first choice without `message`). A null `content` (a refusal or a tool
    /// call) reads as the refusal text or "". Missing `usage` reads as 0 tokens.
    static func decodeCompletion(_ data: Data) -> Completion? {
        guard let reply = try? JSONDecoder().decode(WireReply.self, from: data),
              let message = reply.choices.first?.message else { return nil }
        return Completion(text: message.content ?? message.refusal ?? "",
                          promptTokens: reply.usage?.prompt_tokens ?? 0,
                          completionTokens: reply.usage?.completion_tokens ?? 0)
    }

    /// The server's explanation in an error body: `error.message` (OpenAI and most compatible
    /// servers), a string `error` or top-level `message`/`detail`, else the body text itself.
    static func errorMessage(in data: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            for key in ["error", "message", "detail"] {
                if let message = object[key] as? String { return message }
            }
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: Wire shapes (snake_case names are the JSON keys)

    private struct WireRequest: Encodable {
        var model: String
        var messages: [WireMessage]
        var max_tokens: Int?
        var temperature: Double?
        var response_format: WireResponseFormat?
    }

    private struct WireResponseFormat: Encodable {
        var type: String
    }

    private struct WireMessage: Encodable {
        var role: String
        var content: Content

        enum Content: Encodable {
            case text(String)
            case parts([Part])

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .text(let text): try container.encode(text)
                case .parts(let parts): try container.encode(parts)
                }
            }
        }

        struct Part: Encodable {
            var type: String
            var text: String?
            var image_url: ImageURL?
        }

        struct ImageURL: Encodable {
            var url: String
        }

        init(_ message: ChatMessage) {
            role = message.role
            if message.images.isEmpty {
                content = .text(message.content)
            } else {
                content = .parts([Part(type: "text", text: message.content)]
                    + message.images.map { Part(type: "image_url", image_url: ImageURL(url: $0)) })
            }
        }
    }

    private struct WireReply: Decodable {
        var choices: [Choice]
        var usage: Usage?

        struct Choice: Decodable {
            var message: Message?
        }

        struct Message: Decodable {
            var content: String?
            var refusal: String?
        }

        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }
    }
}
