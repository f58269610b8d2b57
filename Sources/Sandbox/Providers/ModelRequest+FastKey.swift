/// A fast 64-bit digest (FNV-style, eight bytes per step) of a request's content, stable across processes: keys in-memory
/// caches and seeds the simulator's per-call draws, where `contentKey`'s SHA-256 (needed for the
/// store, where collisions would be wrong answers kept forever) costs too much per call.
extension ModelRequest {
    public var fastKey: UInt64 {
        var h = ModelRequest.fastDigestBasis
        func mix(_ s: String) { h = ModelRequest.fastDigest(s, h) }
        mix(model)
        for m in messages {
            mix(m.role)
            mix(m.content)
            for i in m.images { mix(i) }
        }
        mix(temperature.map { "\($0)" } ?? "-")
        mix(maxTokens.map { "\($0)" } ?? "-")
        mix(jsonMode ? "j" : "t")
        return h
    }

    /// Where a digest starts.
    static let fastDigestBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// `h` with the UTF-8 bytes of `s` mixed in (the step of `fastKey`; also keys the token-count memo).
    static func fastDigest(_ s: String, _ h: UInt64) -> UInt64 {
        var s = s
        var h = h
        s.withUTF8 { bytes in
            var x = h
            var i = 0
            let n = bytes.count
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    x = (x ^ w) &* 0x100_0000_01b3
                    x ^= x >> 29
                    i += 8
                }
            }
            while i < n { x = (x ^ UInt64(bytes[i])) &* 0x100_0000_01b3; i += 1 }
            h = x ^ UInt64(n)
        }
        return (h ^ 0xFF) &* 0x100_0000_01b3
    }
}
