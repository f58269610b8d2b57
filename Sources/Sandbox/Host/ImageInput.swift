import Foundation

/// Turns an `#:image` argument into what the API accepts (reference §7.3): a `data:` or http(s)
/// URL as is, an existing image file as a base64 data URL, anything else as raw base64 PNG data.
enum ImageInput {
    static let maxBytes = 20 * 1024 * 1024

    static func dataURL(_ text: String) throws -> String {
        if text.hasPrefix("data:") || text.hasPrefix("http://") || text.hasPrefix("https://") { return text }
        if text.count < 4096, FileManager.default.fileExists(atPath: text) {
            guard let data = FileManager.default.contents(atPath: text) else {
                throw SchemeError(.io, "llm-query: cannot read image file \(text)")
            }
            guard data.count <= maxBytes else {
                throw SchemeError(.user, "llm-query: image file too large (\(data.count) bytes, limit 20 MB): \(text)")
            }
            return "data:\(mime(for: text));base64,\(data.base64EncodedString())"
        }
        guard text.utf8.count <= maxBytes * 4 / 3 + 4 else {
            throw SchemeError(.user, "llm-query: base64 image too large (limit 20 MB)")
        }
        return "data:image/png;base64,\(text)"
    }

    private static func mime(for path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        default: return "image/png"
        }
    }
}
