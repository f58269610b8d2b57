import Foundation

/// What the server sends back for one request, and when.
public struct ServedResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Extra headers, in order. `Content-Length` and `Connection` are always written by the server.
    public var headers: [(name: String, value: String)]
    /// The body bytes, sent with `Content-Length`.
    public var body: [UInt8]
    /// Seconds to wait before answering; `.infinity` never answers (the connection stays open
    /// until the client gives up or the server stops), which is how timeouts are tested.
    public var delay: Double

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], delay: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    /// A copy answered after `seconds` more.
    public func delayed(by seconds: Double) -> ServedResponse {
        var copy = self
        copy.delay += seconds
        return copy
    }

    /// A copy with one more header.
    public func adding(header name: String, _ value: String) -> ServedResponse {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }

    /// The `x-ratelimit-*` headers the echo model sends: generous limits with one request used.
    public static let defaultRateLimitHeaders: [(name: String, value: String)] = [
        ("x-ratelimit-limit-requests", "10000"),
        ("x-ratelimit-limit-tokens", "2000000"),
        ("x-ratelimit-remaining-requests", "9999"),
        ("x-ratelimit-remaining-tokens", "1999000"),
        ("x-ratelimit-reset-requests", "6ms"),
        ("x-ratelimit-reset-tokens", "30ms"),
    ]

    /// A 200 chat completion in the OpenAI shape, with `text` as the first choice's content.
    public static func chatCompletion(text: String, promptTokens: Int, completionTokens: Int, model: String = "echo",
                                      id: String = "chatcmpl-local",
                                      headers: [(name: String, value: String)] = defaultRateLimitHeaders) -> ServedResponse {
        let object: [String: Any] = [
            "id": id,
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [[
                "index": 0,
                "message": ["role": "assistant", "content": text],
                "finish_reason": "stop",
            ] as [String: Any]],
            "usage": [
                "prompt_tokens": promptTokens,
                "completion_tokens": completionTokens,
                "total_tokens": promptTokens + completionTokens,
            ],
        ]
        return json(status: 200, object, headers: headers)
    }

    /// An error in the OpenAI shape: `{"error": {"message": ..., "type": ..., "code": ...}}`.
    public static func error(status: Int, message: String, type: String = "server_error",
                             headers: [(name: String, value: String)] = []) -> ServedResponse {
        let object: [String: Any] = ["error": ["message": message, "type": type, "code": NSNull()] as [String: Any]]
        return json(status: status, object, headers: headers)
    }

    /// A response whose body is `object` serialized as JSON.
    public static func json(status: Int, _ object: Any, headers: [(name: String, value: String)] = []) -> ServedResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ServedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(data))
    }

    /// A response with a plain-text body.
    public static func text(status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> ServedResponse {
        ServedResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers, body: Array(text.utf8))
    }
}
