#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into protocol lines (reference §4.9).
///
/// Input is read as bytes and each line decoded as UTF-8 *lossily*: an invalid byte becomes
/// U+FFFD instead of failing the read, so hostile input still gets an ordinary reply. Lines end at
/// `\n`; a final line without one is returned by `finish()`.
///
/// - Complexity: amortised O(n) in the bytes appended, however the stream is chunked.
public struct ProtocolLineSplitter {
    private var buffer: [UInt8] = []
    /// Where the current (incomplete) line starts in `buffer`.
    private var lineStart = 0
    /// Bytes before this index are known to hold no newline after `lineStart`.
    private var scanned = 0
    /// Buffer capacity kept between lines (larger buffers are released once emptied).
    private static let retainedCapacity = 1 << 20

    public init() {}

    /// Adds `bytes` and returns every line they complete, without the `\n`.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        buffer.append(contentsOf: bytes)
        var lines: [String] = []
        while let newline = Self.newline(in: buffer, from: scanned) {
            lines.append(String(decoding: buffer[lineStart..<newline], as: UTF8.self))
            lineStart = newline + 1
            scanned = lineStart
        }
        scanned = buffer.count
        if lineStart > 0 && lineStart == buffer.count && buffer.capacity > Self.retainedCapacity {
            // A huge line must not stay allocated after it was handed on: the memory limit
            // measures the process's heap, so a kept buffer would count against every later evaluation.
            buffer = []
            scanned = 0
            lineStart = 0
        } else if lineStart > 0 && lineStart * 2 >= buffer.count {
            buffer.removeFirst(lineStart)
            scanned -= lineStart
            lineStart = 0
        }
        return lines
    }

    /// The index of the first `\n` at or after `start` (memchr: fast in every build).
    private static func newline(in buffer: [UInt8], from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress, let hit = memchr(base + start, 0x0A, b.count - start) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The unterminated last line at end of input, if any bytes remain; resets the splitter.
    public mutating func finish() -> String? {
        defer { self = ProtocolLineSplitter() }
        guard lineStart < buffer.count else { return nil }
        return String(decoding: buffer[lineStart...], as: UTF8.self)
    }
}
