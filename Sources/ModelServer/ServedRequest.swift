import Foundation

/// One chat message as the server decoded it from the request body.
public struct ServedMessage: Sendable, Equatable {
    /// `system`, `user`, `assistant`….
    public var role: String
    /// The text: a string `content`, or the `text` parts of a list `content` joined with newlines.
    public var text: String
    /// The `image_url.url` of every image part, in order.
    public var imageURLs: [String]
    /// Whether `content` was a list of typed parts (the shape used when images are attached).
    public var contentIsParts: Bool

    public init(role: String, text: String, imageURLs: [String] = [], contentIsParts: Bool = false) {
        self.role = role
        self.text = text
        self.imageURLs = imageURLs
        self.contentIsParts = contentIsParts
    }
}

/// An HTTP request the server received, with the chat-completion fields already decoded so that
/// behaviours and tests can look at what a client sent without parsing JSON themselves.
public struct ServedRequest: Sendable {
    /// Position in arrival order across all connections, from 0.
    public var sequence: Int
    /// Which accepted connection carried it (from 0), to tell reuse from reconnects.
    public var connection: Int
    /// Monotonic seconds (CLOCK_MONOTONIC) when the whole request had been read.
    public var receivedAt: Double
    /// `POST` for chat completions.
    public var method: String
    /// The request target as sent, e.g. `/v1/chat/completions`.
    public var path: String
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    /// The raw body bytes.
    public var body: [UInt8]

    /// Whether the body was a JSON object (false for an empty or unparsable body).
    public var bodyIsJSON: Bool
    /// The `model` field.
    public var model: String?
    /// The `messages`, decoded (empty when the body had none).
    public var messages: [ServedMessage]
    /// `response_format.type`, when present.
    public var responseFormatType: String?
    /// nil when the body had no `max_tokens`.
    public var maxTokens: Int?
    /// nil when the body had no `temperature` (so "omitted" and "0" can be told apart).
    public var temperature: Double?

    /// Whether the client asked for JSON mode (`response_format: {type: json_object}`).
    public var jsonMode: Bool { responseFormatType == "json_object" }

    /// The text of the last message whose role is `user` ("" when there is none).
    public var lastUserText: String { messages.last(where: { $0.role == "user" })?.text ?? "" }

    /// The body as UTF-8 text (lossy).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Builds a request and decodes the chat fields from `body` (best effort: anything missing
    /// stays nil/empty, so malformed requests still reach the behaviour).
    public init(sequence: Int, connection: Int, receivedAt: Double, method: String, path: String,
                headers: [String: String], body: [UInt8]) {
        self.sequence = sequence
        self.connection = connection
        self.receivedAt = receivedAt
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        bodyIsJSON = false
        messages = []
        guard !body.isEmpty,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
        bodyIsJSON = true
        model = object["model"] as? String
        maxTokens = (object["max_tokens"] as? NSNumber)?.intValue
        temperature = (object["temperature"] as? NSNumber)?.doubleValue
        responseFormatType = (object["response_format"] as? [String: Any])?["type"] as? String
        messages = (object["messages"] as? [Any] ?? []).compactMap(Self.decodeMessage)
    }

    private static func decodeMessage(_ value: Any) -> ServedMessage? {
        guard let message = value as? [String: Any] else { return nil }
        let role = message["role"] as? String ?? ""
        if let text = message["content"] as? String { return ServedMessage(role: role, text: text) }
        guard let parts = message["content"] as? [Any] else { return ServedMessage(role: role, text: "") }
        var texts: [String] = []
        var images: [String] = []
        for case let part as [String: Any] in parts {
            switch part["type"] as? String {
            case "text": texts.append(part["text"] as? String ?? "")
            case "image_url":
                if let url = (part["image_url"] as? [String: Any])?["url"] as? String { images.append(url) }
            default: break
            }
        }
        return ServedMessage(role: role, text: texts.joined(separator: "\n"), imageURLs: images, contentIsParts: true)
    }
}
