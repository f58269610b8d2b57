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

    public init() {}

    /// Adds `bytes` and returns every line they complete, without the `\n`.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        buffer.append(contentsOf: bytes)
        var lines: [String] = []
        while let newline = buffer[scanned...].firstIndex(of: 0x0A) {
            lines.append(String(decoding: buffer[lineStart..<newline], as: UTF8.self))
            lineStart = newline + 1
            scanned = lineStart
        }
        scanned = buffer.count
        if lineStart > 0 && lineStart * 2 >= buffer.count {
            buffer.removeFirst(lineStart)
            scanned -= lineStart
            lineStart = 0
        }
        return lines
    }

    /// The unterminated last line at end of input, if any bytes remain; resets the splitter.
    public mutating func finish() -> String? {
        defer { self = ProtocolLineSplitter() }
        guard lineStart < buffer.count else { return nil }
        return String(decoding: buffer[lineStart...], as: UTF8.self)
    }
}
