import Testing
@testable import Sandbox

@Suite("MString: Swift text to code points")
struct MStringDecodingTests {
    @Test("one-, two-, three- and four-byte characters decode to the same code points as Swift's view",
          arguments: ["", "plain ASCII", "café é", "日本語のテキスト", "emoji 😀👍🏽 and flags 🇫🇷", "e\u{301} combining",
                      "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}", String(repeating: "ab€😀", count: 1000)])
    func decodesLikeSwift(_ text: String) {
        #expect(MString.scalars(of: text) == Array(text.unicodeScalars))
        #expect(MString(text).string == text)
    }
}
