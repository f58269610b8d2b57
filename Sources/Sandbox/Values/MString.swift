/// A Scheme string: a mutable sequence of Unicode code points.
///
/// Stored as scalars, not as a Swift `String`, because Scheme strings index by code point in O(1)
/// and compare code point by code point (Swift's `String ==` uses canonical equivalence, so
/// "é" and "e\u{301}" would wrongly be `string=?`).
public final class MString: @unchecked Sendable {
    public var scalars: [Unicode.Scalar]
    public var isMutable: Bool

    public init(_ scalars: [Unicode.Scalar], mutable: Bool = true) {
        self.scalars = scalars
        self.isMutable = mutable
    }
    public convenience init(_ s: String, mutable: Bool = true) {
        self.init(MString.scalars(of: s), mutable: mutable)
    }

    /// The code points of `s`, decoded from its UTF-8 in one pass into a buffer sized up front
    /// (`Array(s.unicodeScalars)` grew its array scalar by scalar: 10–20% of a simulation, whose
    /// contexts and replies all pass through here).
    static func scalars(of s: String) -> [Unicode.Scalar] {
        var text = s
        return text.withUTF8 { utf8 -> [Unicode.Scalar] in
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(utf8.count)
            var i = 0
            let n = utf8.count
            while i < n {
                let b = UInt32(utf8[i])
                var v: UInt32
                // A Swift string is valid UTF-8, so the lead byte says how many bytes follow.
                if b < 0x80 {
                    v = b; i += 1
                } else if b < 0xE0 {
                    v = (b & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F); i += 2
                } else if b < 0xF0 {
                    v = (b & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F); i += 3
                } else {
                    v = (b & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                        | UInt32(utf8[i + 3] & 0x3F)
                    i += 4
                }
                out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            }
            return out
        }
    }
    /// The Swift string with the same code points.
    public var string: String {
        // Encode to UTF-8 bytes in one buffer: appending scalars to a String one at a time is
        // several times slower for long texts (model prompts, contexts).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count + scalars.count / 4)
        for s in scalars {
            let v = s.value
            if v < 0x80 {
                bytes.append(UInt8(v))
            } else if v < 0x800 {
                bytes.append(UInt8(0xC0 | (v >> 6))); bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                bytes.append(UInt8(0xE0 | (v >> 12))); bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F))); bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                bytes.append(UInt8(0xF0 | (v >> 18))); bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F))); bytes.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    public var count: Int { scalars.count }
}
