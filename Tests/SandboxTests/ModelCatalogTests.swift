import Foundation
import Testing
@testable import Sandbox

/// SHA-256 against the NIST vectors, the request content key, and the model catalog: the
/// embedded data, lookups with their fallbacks, exact costs, and user override files.

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

@Suite("model catalog")
struct ModelCatalogTests {
    @Test("the embedded data parses and has the models the planner relies on")
    func embeddedData() throws {
        // Parse directly (not through `embedded`, which falls back to empty) so a defect shows its error.
        let catalog = try ModelCatalog(json: ModelCatalogData.json)
        #expect(catalog.models.count > 100)
        #expect(ModelCatalog.embedded.models == catalog.models)
        let required = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3-mini", "o4-mini",
                        "gpt-3.5-turbo", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet-20240620",
                        "claude-3-5-sonnet-latest", "claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"]
        for name in required {
            let info = catalog.info(name)
            #expect(info?.name == name, "\(name) missing")
            #expect(info?.inputCostPerToken != nil && info?.outputCostPerToken != nil, "\(name) has no prices")
            #expect(info?.maxOutputTokens != nil, "\(name) has no output limit")
        }
        for info in catalog.models {
            #expect(["openai", "anthropic", "gemini", "mistral", "deepseek", "groq"].contains(info.provider), "\(info.name)")
        }
    }

    @Test("a known model's entry")
    func knownEntry() {
        let gpt4o = ModelCatalog.embedded.info("gpt-4o")
        #expect(gpt4o == ModelInfo(name: "gpt-4o", provider: "openai", inputCostPerToken: 2.5e-06, outputCostPerToken: 1e-05,
                                   cachedInputCostPerToken: 1.25e-06, maxInputTokens: 128_000, maxOutputTokens: 16_384,
                                   supportsJSONMode: true, supportsVision: true, supportsTemperature: nil))
        #expect(ModelCatalog.embedded.outputLimit("gpt-4o-mini") == 16_384)
        #expect(ModelCatalog.embedded.outputLimit("claude-3-5-haiku-20241022") == 8_192)
        #expect(ModelCatalog.embedded.info("claude-3-5-sonnet")?.provider == "anthropic")
        #expect(ModelCatalog.embedded.info("gemini-2.5-flash")?.provider == "gemini")
        #expect(ModelCatalog.embedded.info("deepseek-chat")?.provider == "deepseek")
        #expect(ModelCatalog.embedded.info("no-such-model") == nil)
        #expect(ModelCatalog.embedded.outputLimit("no-such-model") == nil)
    }

    @Test("lookup falls back to the name without provider prefixes, then to a dated variant's base")
    func fallbacks() {
        let c = ModelCatalog.embedded
        #expect(c.info("openai/gpt-4o")?.name == "gpt-4o")
        #expect(c.info("openrouter/openai/gpt-4o-mini")?.name == "gpt-4o-mini")
        #expect(c.info("anthropic/claude-3-5-haiku-20241022")?.name == "claude-3-5-haiku-20241022")
        #expect(c.info("groq/openai/gpt-oss-120b")?.name == "openai/gpt-oss-120b")
        // An exact dated entry wins over its base.
        #expect(c.info("gpt-4o-2024-08-06")?.name == "gpt-4o-2024-08-06")
        // Dates the catalog does not list fall back to the base name, in every provider's style.
        #expect(c.info("gpt-4o-2031-01-01")?.name == "gpt-4o")
        #expect(c.info("openai/gpt-4o-mini-2031-01-01")?.name == "gpt-4o-mini")
        #expect(c.info("claude-3-5-sonnet-20310101")?.name == "claude-3-5-sonnet")
        #expect(c.info("claude-3-5-haiku@20241022")?.name == "claude-3-5-haiku")
        #expect(c.info("gpt-4-0314")?.name == "gpt-4")
        #expect(c.info("gpt-4o-2031")?.name == "gpt-4o")
        #expect(c.info("gpt-4o-20310101x") == nil)
        #expect(c.info("gpt-4o-24-08-06") == nil)
    }

    @Test("undated strips exactly one provider-style date")
    func undated() {
        #expect(ModelCatalog.undated("gpt-4o-2024-08-06") == "gpt-4o")
        #expect(ModelCatalog.undated("claude-3-5-sonnet-20241022") == "claude-3-5-sonnet")
        #expect(ModelCatalog.undated("claude-3-5-haiku@20241022") == "claude-3-5-haiku")
        #expect(ModelCatalog.undated("gpt-3.5-turbo-0125") == "gpt-3.5-turbo")
        #expect(ModelCatalog.undated("gpt-4o") == nil)
        #expect(ModelCatalog.undated("-2024-08-06") == nil)
        #expect(ModelCatalog.undated("gpt-4o@0125") == nil)
        #expect(ModelCatalog.undated("o3-mini-123") == nil)
    }

    @Test("costs are exact for known prices and nil for unknown ones")
    func costs() throws {
        let c = ModelCatalog.embedded
        // gpt-4o: $2.50 in / $10.00 out per million tokens.
        #expect(c.cost(model: "gpt-4o", promptTokens: 1000, completionTokens: 500) == 0.0075)
        #expect(c.cost(model: "gpt-4o", promptTokens: 1_000_000, completionTokens: 0) == 2.5)
        #expect(c.cost(model: "gpt-4o", promptTokens: 0, completionTokens: 1_000_000) == 10)
        #expect(c.cost(model: "gpt-4o", promptTokens: 0, completionTokens: 0) == 0)
        // gpt-4o-mini: $0.15 / $0.60.
        #expect(c.cost(model: "gpt-4o-mini", promptTokens: 1_000_000, completionTokens: 1_000_000) == 0.75)
        #expect(c.cost(model: "gpt-4o-mini", promptTokens: 3, completionTokens: 7) == 0.00000465)
        // claude-3-5-haiku: $0.80 / $4, through the dated fallback.
        #expect(c.cost(model: "anthropic/claude-3-5-haiku-20310101", promptTokens: 10_000, completionTokens: 1_000) == 0.012)
        #expect(c.cost(model: "no-such-model", promptTokens: 1, completionTokens: 1) == nil)
        let partial = try ModelCatalog(json: #"{"half": {"input_cost_per_token": 1e-06}}"#)
        #expect(partial.cost(model: "half", promptTokens: 1, completionTokens: 1) == nil)
    }

    @Test("an override file is merged over the embedded catalog, its fields winning")
    func overrideMerge() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("models.json")
        try #"""
            {
              "gpt-4o": {"input_cost_per_token": 2e-06, "supports_vision": null},
              "my-local-llama": {"provider": "ollama", "input_cost_per_token": 0, "output_cost_per_token": 0,
                                 "max_output_tokens": 2048},
              "bare": {}
            }
            """#.write(to: file, atomically: true, encoding: .utf8)

        let merged = try ModelCatalog.load(overridePath: file.path, environment: [:])
        let gpt4o = try #require(merged.info("gpt-4o"))
        #expect(gpt4o.inputCostPerToken == 2e-06)        // the user's price
        #expect(gpt4o.outputCostPerToken == 1e-05)       // kept from the embedded entry
        #expect(gpt4o.maxOutputTokens == 16_384)
        #expect(gpt4o.supportsVision == nil)             // explicitly cleared
        #expect(merged.cost(model: "gpt-4o", promptTokens: 1000, completionTokens: 500) == 0.007)
        #expect(merged.info("my-local-llama") == ModelInfo(name: "my-local-llama", provider: "ollama", inputCostPerToken: 0,
                                                          outputCostPerToken: 0, maxOutputTokens: 2048))
        #expect(merged.cost(model: "my-local-llama", promptTokens: 500, completionTokens: 500) == 0)
        #expect(merged.info("bare")?.provider == "custom")
        #expect(merged.info("gpt-4o-mini") == ModelCatalog.embedded.info("gpt-4o-mini"))
        #expect(merged.models.count == ModelCatalog.embedded.models.count + 2)
        // The embedded catalog itself is untouched.
        #expect(ModelCatalog.embedded.info("gpt-4o")?.inputCostPerToken == 2.5e-06)

        // $RLM_MODELS_FILE names the file when no path is given; an explicit path wins over it.
        let viaEnvironment = try ModelCatalog.load(overridePath: nil, environment: ["RLM_MODELS_FILE": file.path])
        #expect(viaEnvironment.info("my-local-llama") != nil)
        let explicitWins = try ModelCatalog.load(overridePath: file.path, environment: ["RLM_MODELS_FILE": "/nonexistent.json"])
        #expect(explicitWins.info("my-local-llama") != nil)
        #expect(try ModelCatalog.load(overridePath: nil, environment: [:]).models == ModelCatalog.embedded.models)
        #expect(try ModelCatalog.load(overridePath: nil, environment: ["RLM_MODELS_FILE": ""]).models
            == ModelCatalog.embedded.models)
    }

    @Test("a bad override file is an error naming the file, the entry and the field")
    func badOverride() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func message(_ text: String) throws -> String {
            let file = dir.appendingPathComponent("bad-\(UUID().uuidString).json")
            try text.write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try ModelCatalog.load(overridePath: file.path, environment: [:])
                return "no error"
            } catch let error as ModelCatalogError {
                #expect(error.message.contains(file.path), "the message names the file: \(error.message)")
                return error.message.replacingOccurrences(of: file.path, with: "FILE")
            }
        }
        #expect(try message(#"{"gpt-4o": {"input_cost_per_token": 1e-06,}}"#).hasPrefix("the model file FILE is not valid JSON: "))
        #expect(try message("[1, 2]") == "the model file FILE must be a JSON object keyed by model name")
        #expect(try message(#"{"m": 3}"#) == #"the model file FILE: entry "m" must be an object of fields"#)
        #expect(try message(#"{"m": {"input_cost_per_token": "cheap"}}"#)
            == #"the model file FILE: entry "m": "input_cost_per_token" must be a number ≥ 0 or null, not "cheap""#)
        #expect(try message(#"{"m": {"output_cost_per_token": -1}}"#)
            == #"the model file FILE: entry "m": "output_cost_per_token" must be a number ≥ 0 or null, not -1"#)
        #expect(try message(#"{"m": {"max_output_tokens": 1.5}}"#)
            == #"the model file FILE: entry "m": "max_output_tokens" must be an integer ≥ 0 or null, not 1.5"#)
        #expect(try message(#"{"m": {"supports_vision": "yes"}}"#)
            == #"the model file FILE: entry "m": "supports_vision" must be true, false or null, not "yes""#)
        #expect(try message(#"{"m": {"name": "other"}}"#)
            == #"the model file FILE: entry "m": "name" must be the entry's key "m", not "other""#)
        #expect(try message(#"{"m": {"input_cost_per_tokens": 1e-06}}"#).hasPrefix(
            #"the model file FILE: entry "m": unknown field "input_cost_per_tokens" (known: name, provider, input_cost_per_token"#))

        let missing = dir.appendingPathComponent("absent.json").path
        #expect(throws: ModelCatalogError.self) { try ModelCatalog.load(overridePath: missing, environment: [:]) }
        do {
            _ = try ModelCatalog.load(overridePath: nil, environment: ["RLM_MODELS_FILE": missing])
            Issue.record("a missing file must be an error")
        } catch let error as ModelCatalogError {
            #expect(error.message.hasPrefix("cannot read the model file \(missing): "))
        }
    }

    @Test("ModelInfo encodes with the file's field names, so its JSON reads back as an entry")
    func codableRoundTrip() throws {
        let info = try #require(ModelCatalog.embedded.info("o4-mini"))
        let data = try JSONEncoder().encode(info)
        #expect(try JSONDecoder().decode(ModelInfo.self, from: data) == info)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"input_cost_per_token\""))
        let reread = try ModelCatalog(json: "{\"o4-mini\": \(text)}")
        #expect(reread.info("o4-mini") == info)
    }
}
