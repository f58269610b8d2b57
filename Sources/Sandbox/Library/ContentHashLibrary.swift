/// `(content-hash str …)`: a stable key for content-addressed caches (reference §8 pattern 14,
/// "cache results keyed by a content hash of instruction + data + model"; the original hashed in
/// Python, which simulations restrict, and a Scheme loop over every character is far too slow for
/// megabytes of data).
///
/// ```scheme
/// (content-hash "gpt-4o-mini" "Summarise" item)   ; => "3f1c…" (64 hex digits)
/// ```
func registerContentHashLibrary(_ lib: LibraryBuilder) {
    lib.fn("content-hash", 1, nil) { args in
        var bytes: [UInt8] = []
        for i in 0..<args.count {
            let text = try args[i].asString("content-hash").string
            // Length-prefixed, so ("ab" "c") and ("a" "bc") hash differently.
            bytes.append(contentsOf: Array(String(text.utf8.count).utf8))
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: text.utf8)
        }
        return .str(SHA256.hex(bytes))
    }
}
