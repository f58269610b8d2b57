import Foundation

/// Removes secrets (the API key) from text that leaves the provider or the Python worker (error
/// messages, retry log lines, Python replies) and bounds its length. The key is removed before
/// truncating, so a cut can never leave a prefix of it behind.
///
/// Besides the key as is, it removes the key's base64 form (standard and URL-safe alphabets, at
/// each of the three byte alignments it can have inside longer encoded data, so a key inside a
/// base64-encoded file is caught too) and its URL-encoded form (`%XX` escapes in either case).
struct SecretScrubber: Sendable {
    static let redaction = "[redacted]"
    /// Encoded forms are matched only for secrets at least this long, so a short value (say a
    /// token "1") does not redact ordinary text.
    static let minimumEncodedLength = 8

    let secrets: [String]
    /// Every form to remove, longest first (so a longer form is never left half-replaced).
    private let forms: [String]

    init(secret: String?) {
        self.init(secrets: secret.map { [$0] } ?? [])
    }

    init(secrets: [String]) {
        let kept = secrets.filter { !$0.isEmpty }
        self.secrets = kept
        var forms = Set<String>()
        for secret in kept {
            forms.insert(secret)
            guard secret.utf8.count >= Self.minimumEncodedLength else { continue }
            for core in Self.base64Cores(of: Array(secret.utf8)) {
                forms.insert(core)
                forms.insert(core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
            }
            forms.insert(Self.percentEncoded(secret, upper: true))
            forms.insert(Self.percentEncoded(secret, upper: false))
        }
        self.forms = forms.sorted { $0.count > $1.count }
    }

    func clean(_ text: String) -> String {
        var out = text
        for form in forms where out.contains(form) {
            out = out.replacingOccurrences(of: form, with: Self.redaction)
        }
        return out
    }

    /// `clean(text)`, then at most `limit` characters (an ellipsis marks a cut).
    func clean(_ text: String, limit: Int) -> String {
        let cleaned = clean(text)
        return cleaned.count <= limit ? cleaned : String(cleaned.prefix(limit)) + "…"
    }

    /// Whether `text` holds the secret in any form this scrubber removes.
    func reveals(_ text: String) -> Bool {
        forms.contains { text.contains($0) }
    }

    /// The base64 characters that depend only on the secret's bytes, for each alignment (0, 1 or
    /// 2 bytes before it in the encoded data).
    static func base64Cores(of bytes: [UInt8]) -> [String] {
        (0..<3).compactMap { offset -> String? in
            let encoded = Array((Data(repeating: 0, count: offset) + Data(bytes)).base64EncodedString()
                .trimmingCharacters(in: CharacterSet(charactersIn: "=")))
            let first = (offset * 8 + 5) / 6
            let end = min(encoded.count, (offset + bytes.count) * 8 / 6)
            guard end - first >= 4 else { return nil }
            return String(encoded[first..<end])
        }
    }

    /// Every byte except ASCII letters and digits as `%XX`.
    static func percentEncoded(_ text: String, upper: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: upper ? "%%%02X" : "%%%02x", byte)
            }
        }
        return out
    }
}
