import Foundation
import Synchronization

/// An exact byte-pair-encoding tokenizer for OpenAI's `o200k_base` and `cl100k_base`: the same
/// token ids as tiktoken's `encode_ordinary` (special tokens such as `<|endoftext|>` are encoded
/// as plain text).
///
///     let tokenizer = try BPETokenizer.shared(.o200kBase)
///     tokenizer.encode("hello world")   // [24912, 2375]
///     tokenizer.count("hello world")    // 2
///
/// The rank file is read on the first `shared(_:)` call for an encoding and kept for the life of
/// the process. An instance is immutable and may be used from any thread.
public final class BPETokenizer: @unchecked Sendable {
    /// The encoding this tokenizer implements.
    public let encoding: TokenizerEncoding
    let ranks: RankTable

    init(encoding: TokenizerEncoding, ranks: RankTable) {
        self.encoding = encoding
        self.ranks = ranks
    }

    private static let instances = Mutex<[TokenizerEncoding: BPETokenizer]>([:])

    /// The process-wide tokenizer for `encoding`, loading its rank file on first use.
    ///
    /// - Throws: `TokenizerError` when the rank file is missing or malformed (the next call tries
    ///   again).
    public static func shared(_ encoding: TokenizerEncoding) throws -> BPETokenizer {
        // Loading under the lock: a second caller waits for the first load instead of repeating it.
        try instances.withLock { cache in
            if let t = cache[encoding] { return t }
            let t = try load(encoding)
            cache[encoding] = t
            return t
        }
    }

    /// Reads and parses the rank file of `encoding` from the Simulator's resources.
    static func load(_ encoding: TokenizerEncoding) throws -> BPETokenizer {
        let url = try TokenizerResources.rankFileURL(encoding)
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TokenizerError.unreadable(url.path, error)
        }
        let table = try data.withUnsafeBytes { try RankTable(parsing: $0) }
        _ = PreTokenizer.bmpClasses  // built here (about 8 ms, once) rather than in the first encode
        return BPETokenizer(encoding: encoding, ranks: table)
    }

    /// The token ids of `text`.
    ///
    /// - Complexity: O(n) for ordinary text; a piece of k bytes that is no token costs O(k²) up
    ///   to 128 bytes and O(k log k) above.
    public func encode(_ text: String) -> [Int] {
        var out: [Int] = []
        encode(text, into: &out)
        return out
    }

    /// The number of tokens of `text` (`encode(text).count`).
    public func count(_ text: String) -> Int {
        encode(text).count
    }

    /// Appends the token ids of `text` to `out`.
    func encode(_ text: String, into out: inout [Int]) {
        var text = text
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else { return }
            out.reserveCapacity(out.count + utf8.count / 4)
            // One class word and one byte offset per scalar (offsets has one more: the end).
            let scalarCapacity = utf8.count
            let classes = UnsafeMutablePointer<UInt32>.allocate(capacity: scalarCapacity)
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: scalarCapacity + 1)
            defer {
                classes.deallocate()
                offsets.deallocate()
            }
            let n = Self.decode(utf8, classes: classes, offsets: offsets)
            let pieceEnd = encoding == .o200kBase ? PreTokenizer.o200kPieceEnd : PreTokenizer.cl100kPieceEnd
            var i = 0
            while i < n {
                let e = pieceEnd(classes, n, i)
                ranks.appendTokens(base + offsets[i], offsets[e] - offsets[i], to: &out)
                i = e
            }
        }
    }

    /// Decodes UTF-8 (valid, as every Swift string's is) into a class word and the byte offset of
    /// each scalar; returns the number of scalars.
    private static func decode(_ utf8: UnsafeBufferPointer<UInt8>, classes: UnsafeMutablePointer<UInt32>,
                               offsets: UnsafeMutablePointer<Int>) -> Int {
        var n = 0, i = 0
        let count = utf8.count
        let bmp = PreTokenizer.bmpClasses
        while i < count {
            let b0 = UInt32(utf8[i])
            var v: UInt32, width: Int
            if b0 < 0x80 {
                v = b0; width = 1
            } else if b0 < 0xE0 {
                v = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F); width = 2
            } else if b0 < 0xF0 {
                v = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F); width = 3
            } else {
                v = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                    | UInt32(utf8[i + 3] & 0x3F)
                width = 4
            }
            classes[n] = PreTokenizer.classify(v, bmp)
            offsets[n] = i
            n += 1
            i += width
        }
        offsets[n] = count
        return n
    }
}

/// Why a tokenizer could not be loaded.
public struct TokenizerError: Error, CustomStringConvertible {
    /// What went wrong, for a person.
    public let description: String

    static func missingResource(_ name: String, searched: [String], variable: String) -> TokenizerError {
        TokenizerError(description: "the rank file \(name) is missing (looked in \(searched.joined(separator: ", "))); "
            + "set \(variable) to a directory that holds it")
    }

    static func unreadable(_ path: String, _ cause: any Error) -> TokenizerError {
        TokenizerError(description: "cannot read the rank file \(path): \(cause)")
    }

    static func malformedRanks(line: Int, _ problem: String) -> TokenizerError {
        TokenizerError(description: "malformed rank file at line \(line): \(problem)")
    }
}
