import Foundation
import Testing
@testable import Sandbox

/// SHA-256 against the NIST vectors and the request content key.

@Suite("SHA-256")
struct SHA256Tests {
    @Test("NIST FIPS 180-2 vectors")
    func nistVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("padding boundaries: 55, 56, 63, 64 and 65 bytes")
    func paddingBoundaries() {
        // Digests from Python's hashlib for "a" repeated n times.
        let expected = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
        ]
        for (n, digest) in expected {
            #expect(SHA256.hex(String(repeating: "a", count: n)) == digest, "length \(n)")
        }
    }
}

@Suite("request content key")
struct ContentKeyTests {
    @Test("pinned keys: the canonical form is stable across runs and processes")
    func pinned() {
        // Expected values computed independently (Python, hashlib) from the documented form.
        let full = ModelRequest(model: "gpt-4o-mini",
                                messages: [ChatMessage(role: "system", content: "Be brief."),
                                           ChatMessage(role: "user", content: "naïve 日本語\n",
                                                       images: ["data:image/png;base64,AAAA"])],
                                temperature: 0, maxTokens: 256, jsonMode: true)
        #expect(full.contentKey == "1a576d7516e9380a0e3e6ba330c2b116509aa9ef8421ca3daf23f3cb9abd4d64")
        let bare = ModelRequest(model: "gpt-4o", messages: [ChatMessage(role: "user", content: "hi")])
        #expect(bare.contentKey == "f5cdd8ab6fc81156d8b0a8efec278b0f87edc4f191c8ea5a0279255014acabd6")
    }

    @Test("every field takes part in the key")
    func everyFieldCounts() {
        let base = ModelRequest.forQuery(instruction: "Sum up.", data: "text", model: "gpt-4o", temperature: 0, maxTokens: 100)
        var variants: [ModelRequest] = []
        var r = base; r.model = "gpt-4o-mini"; variants.append(r)
        r = base; r.temperature = nil; variants.append(r)
        r = base; r.temperature = 0.7; variants.append(r)
        r = base; r.maxTokens = nil; variants.append(r)
        r = base; r.maxTokens = 101; variants.append(r)
        r = base; r.jsonMode = true; variants.append(r)
        r = base; r.messages[0].role = "user"; variants.append(r)
        r = base; r.messages[1].content = "text "; variants.append(r)
        r = base; r.messages[1].images = ["https://example.com/a.png"]; variants.append(r)
        r = base; r.messages.removeFirst(); variants.append(r)
        let keys = Set(([base] + variants).map(\.contentKey))
        #expect(keys.count == variants.count + 1)
        #expect(base.contentKey == base.contentKey)
        var negativeZero = base; negativeZero.temperature = -0.0
        #expect(negativeZero.contentKey == base.contentKey)
    }

    @Test("content cannot imitate a field boundary")
    func noAmbiguity() {
        let one = ModelRequest(model: "m", messages: [ChatMessage(role: "user", content: "a\nrole 4:user\ncontent 1:b")])
        let two = ModelRequest(model: "m", messages: [ChatMessage(role: "user", content: "a"), ChatMessage(role: "user", content: "b")])
        #expect(one.contentKey != two.contentKey)
    }
}
