import Foundation

/// The mergeable ranks of one encoding: token bytes → rank (the rank is also the token id).
///
/// Parsed from a `.tiktoken` file, whose line `n` (0-based) is `base64(token bytes) SPACE n`. The
/// ranks of OpenAI's files are dense (0, 1, 2, …) and every single byte is a token; the parser
/// checks both, so the merge in `BytePairMerge.swift` can rely on them.
///
/// Layout (flat, addressed by `Int32`, no per-token allocation):
///
///     bytes   [t0 bytes][t1 bytes][t2 bytes]…        all tokens concatenated in rank order
///     offsets [0, end0, end1, …]                     token r is bytes[offsets[r] ..< offsets[r+1]]
///     slots   open-addressing table of ranks, -1 = empty; linear probing, load factor ≤ 0.5
///
/// Building a `Dictionary<[UInt8], Int>` instead costs one array allocation per token (200 k for
/// o200k); this table is built in a few milliseconds (see `docs/data-sources.md` for the measured
/// load time).
final class RankTable: @unchecked Sendable {
    /// Number of tokens (the highest rank is `count - 1`).
    let count: Int
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let offsets: UnsafeMutableBufferPointer<Int32>
    private let slots: UnsafeMutableBufferPointer<Int32>
    private let mask: Int

    /// Parses the text of a `.tiktoken` file.
    ///
    /// - Throws: `TokenizerError` when a line is malformed, the ranks are not 0, 1, 2, … in
    ///   order, a token repeats, or a single byte is missing.
    init(parsing text: UnsafeRawBufferPointer) throws(TokenizerError) {
        let input = text.bindMemory(to: UInt8.self)
        // Decoded bytes are at most 3/4 of the input; one rank per line.
        var lines = 1
        for b in input where b == 0x0A { lines += 1 }
        var capacity = 1
        while capacity < 2 * lines { capacity <<= 1 }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: input.count * 3 / 4 + 4)
        let offsets = UnsafeMutableBufferPointer<Int32>.allocate(capacity: lines + 1)
        let slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: capacity)
        slots.initialize(repeating: -1)
        var built = false
        defer {
            if !built {
                bytes.deallocate()
                offsets.deallocate()
                slots.deallocate()
            }
        }
        let count = try Self.parse(input, bytes: bytes, offsets: offsets)
        self.bytes = bytes
        self.offsets = offsets
        self.slots = slots
        self.mask = capacity - 1
        self.count = count
        built = true
        for r in 0 ..< count {
            let start = Int(offsets[r]), length = Int(offsets[r + 1]) - start
            var slot = Self.hash(bytes.baseAddress! + start, length) & mask
            while slots[slot] >= 0 {
                let other = Int(slots[slot])
                if Int(offsets[other + 1] - offsets[other]) == length,
                   memcmp(bytes.baseAddress! + Int(offsets[other]), bytes.baseAddress! + start, length) == 0 {
                    throw TokenizerError.malformedRanks(line: r + 1, "the token repeats the one of rank \(other)")
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = Int32(r)
        }
        for b in 0 ... 255 {
            var byte = UInt8(b)
            if rank(&byte, 1) < 0 { throw TokenizerError.malformedRanks(line: 0, "no token for the byte \(b)") }
        }
    }

    /// Decodes every line into `bytes` and its end into `offsets`; returns the number of tokens.
    private static func parse(_ input: UnsafeBufferPointer<UInt8>, bytes: UnsafeMutableBufferPointer<UInt8>,
                              offsets: UnsafeMutableBufferPointer<Int32>) throws(TokenizerError) -> Int {
        var count = 0
        var out = 0
        var i = 0
        offsets[0] = 0
        while i < input.count {
            var lineEnd = i
            while lineEnd < input.count && input[lineEnd] != 0x0A { lineEnd += 1 }
            if lineEnd == i { i = lineEnd + 1; continue }  // blank line (a trailing newline)
            var space = i
            while space < lineEnd && input[space] != 0x20 { space += 1 }
            guard space < lineEnd, let decoded = decodeBase64(input, i ..< space, into: bytes, at: out),
                  let rank = parseDecimal(input, space + 1 ..< lineEnd)
            else { throw TokenizerError.malformedRanks(line: count + 1, "expected `base64 rank`") }
            guard rank == count else {
                throw TokenizerError.malformedRanks(line: count + 1, "rank \(rank) where \(count) was expected")
            }
            out += decoded
            offsets[count + 1] = Int32(out)
            count += 1
            i = lineEnd + 1
        }
        return count
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
        slots.deallocate()
    }

    /// The rank of the token whose bytes are `start[0 ..< length]`, or -1 when no token has them.
    @inline(__always)
    func rank(_ start: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var slot = Self.hash(start, length) & mask
        while true {
            let r = Int(slots[slot])
            if r < 0 { return -1 }
            let s = Int(offsets[r])
            if Int(offsets[r + 1]) - s == length && memcmp(bytes.baseAddress! + s, start, length) == 0 { return r }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a over the bytes, then a multiplicative mix so the low bits (the slot) depend on all
    /// of them.
    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0 ..< n { h = (h ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3 }
        h = (h ^ (h >> 29)) &* 0xbf58_476d_1ce4_e5b9
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Decodes standard base64 (with `=` padding) from `input[range]` into `out[at...]`; returns
    /// the number of bytes written, or nil for invalid input.
    private static func decodeBase64(_ input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                     into out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int? {
        guard range.count % 4 == 0, !range.isEmpty else { return nil }
        var o = at
        var k = range.lowerBound
        while k < range.upperBound {
            var quad: UInt32 = 0
            var pad = 0
            for j in 0 ..< 4 {
                let c = input[k + j]
                let v: UInt32
                switch c {
                case UInt8(ascii: "A") ... UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
                case UInt8(ascii: "a") ... UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
                case UInt8(ascii: "0") ... UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
                case UInt8(ascii: "+"): v = 62
                case UInt8(ascii: "/"): v = 63
                case UInt8(ascii: "=") where k + 4 == range.upperBound && j >= 2: v = 0; pad += 1
                default: return nil
                }
                if pad > 0 && c != UInt8(ascii: "=") { return nil }
                quad = quad << 6 | v
            }
            out[o] = UInt8(truncatingIfNeeded: quad >> 16)
            if pad < 2 { out[o + 1] = UInt8(truncatingIfNeeded: quad >> 8) }
            if pad < 1 { out[o + 2] = UInt8(truncatingIfNeeded: quad) }
            o += 3 - pad
            k += 4
        }
        return o - at
    }

    private static func parseDecimal(_ input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var v = 0
        for k in range {
            let d = Int(input[k]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }
}
