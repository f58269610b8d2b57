extension ModelRequest {
    /// The request's identity for the response cache and the call journal: SHA-256 (hex) of
    /// `canonicalForm`.
    ///
    /// Two requests get the same key exactly when they would put the same model, messages,
    /// temperature, max tokens and JSON mode on the wire. The key is the same in every run and
    /// every process, because the canonical form is built from bytes alone (never Swift's
    /// per-process `Hasher` seed or a dictionary's order).
    public var contentKey: String { SHA256.hex(canonicalForm) }

    /// The bytes `contentKey` hashes (version 1). Lines end in `\n`; every string is written as
    /// its UTF-8 byte count, `:`, then the bytes unescaped, so no content can imitate a field
    /// boundary:
    ///
    ///     rlm-request/1
    ///     model <n>:<bytes>
    ///     temperature <Swift's shortest round-trip decimal, e.g. 0.0 or 0.7; -0.0 is 0.0> | none
    ///     max_tokens <decimal Int> | none
    ///     json_mode 0 | 1
    ///     messages <count>
    ///     role <n>:<bytes>            ┐
    ///     content <n>:<bytes>         │ once per message, in order
    ///     images <count>              │
    ///     image <n>:<bytes>           ┘ once per image, in order
    ///
    /// Strings are compared as bytes, not as Swift `String`s: a composed `é` and `e` + combining
    /// accent are equal Strings but different requests on the wire, so they get different keys.
    /// Any change to this layout must bump the version line, so old cache rows stop matching.
    var canonicalForm: [UInt8] {
        var out: [UInt8] = []
        func line(_ text: String) { out.append(contentsOf: text.utf8); out.append(0x0a) }
        func field(_ name: String, _ value: String) {
            out.append(contentsOf: "\(name) \(value.utf8.count):".utf8)
            out.append(contentsOf: value.utf8)
            out.append(0x0a)
        }
        line("rlm-request/1")
        field("model", model)
        if let temperature {
            // Swift's `description` of a Double is the shortest decimal that round-trips, the same
            // on every platform and locale; -0.0 and 0.0 are one temperature.
            line("temperature \(temperature == 0 ? 0.0 : temperature)")
        } else {
            line("temperature none")
        }
        line("max_tokens " + (maxTokens.map { String($0) } ?? "none"))
        line("json_mode " + (jsonMode ? "1" : "0"))
        line("messages \(messages.count)")
        for message in messages {
            field("role", message.role)
            field("content", message.content)
            line("images \(message.images.count)")
            for image in message.images { field("image", image) }
        }
        return out
    }
}
