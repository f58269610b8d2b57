import Foundation

/// Model prices and limits as data: an embedded snapshot (`ModelCatalogData`, trimmed from
/// litellm's price list, see `docs/data-sources.md`) that a user file can extend or correct.
///
/// The data is compiled into the binary rather than shipped as a SwiftPM resource because
/// `rlm-plan` is built static and must run from a single file.
///
///     let catalog = try ModelCatalog.load(overridePath: nil)   // embedded + $RLM_MODELS_FILE
///     catalog.cost(model: "gpt-4o-2024-08-06", promptTokens: 1000, completionTokens: 500)  // 0.0075
///
/// The file format (embedded and override) is one JSON object keyed by model name; each entry
/// has the optional fields `provider`, `input_cost_per_token`, `output_cost_per_token`,
/// `cache_read_input_token_cost`, `max_input_tokens`, `max_output_tokens`,
/// `supports_json_mode`, `supports_vision`, `supports_temperature` (and `name`, which must
/// equal the key). Unknown fields are errors, so a misspelt price is not silently ignored.
public struct ModelCatalog: Sendable {
    private var entries: [String: ModelInfo]

    private init(entries: [String: ModelInfo]) { self.entries = entries }

    /// Where the embedded figures come from (`ModelCatalogData`'s header), for `rlm-plan models`.
    public static let embeddedSnapshot = "litellm 1.109.1 snapshot of 2026-11-21"

    /// The catalog compiled into this build.
    ///
    /// Empty only if the embedded data failed to parse, a build defect that
    /// `ModelCatalogTests` catches; it is never a user's input, so it does not throw.
    public static let embedded: ModelCatalog =
        (try? ModelCatalog(json: ModelCatalogData.json, source: "the embedded model catalog", over: nil))
        ?? ModelCatalog(entries: [:])

    /// A catalog holding exactly the entries of `json` (the file format above).
    ///
    /// - Throws: `ModelCatalogError` on invalid JSON or a malformed entry.
    public init(json: String) throws {
        try self.init(json: json, source: "the model catalog", over: nil)
    }

    /// `json`'s entries merged over `base`: a field the file gives (even `null`) wins, a field it
    /// omits keeps `base`'s value. A new entry without `provider` gets `custom`.
    init(json: String, source: String, over base: ModelCatalog?) throws {
        var entries = base?.entries ?? [:]
        for (name, fields) in try ModelCatalogParser.entries(json, source: source) {
            var info = entries[name] ?? ModelInfo(name: name, provider: "custom")
            try ModelCatalogParser.apply(fields, to: &info, source: source)
            entries[name] = info
        }
        self.entries = entries
    }

    /// This catalog with `json` (litellm's format) merged over it; `source` names it in errors.
    public func merging(json: String, source: String) throws -> ModelCatalog {
        try ModelCatalog(json: json, source: source, over: self)
    }

    /// The embedded catalog with the user's file merged over it (user entries win). The file is
    /// `overridePath` if given, else `$RLM_MODELS_FILE` if set and non-empty, else none.
    ///
    /// - Throws: `ModelCatalogError` naming the file when it cannot be read or is malformed.
    public static func load(overridePath: String?) throws -> ModelCatalog {
        try load(overridePath: overridePath, environment: ProcessInfo.processInfo.environment)
    }

    /// `load(overridePath:)` with the environment passed in, so tests need not mutate the
    /// process environment (which parallel tests share).
    static func load(overridePath: String?, environment: [String: String]) throws -> ModelCatalog {
        let path: String
        if let overridePath, !overridePath.isEmpty {
            path = overridePath
        } else if let env = environment["RLM_MODELS_FILE"], !env.isEmpty {
            path = env
        } else {
            return embedded
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ModelCatalogError("cannot read the model file \(path): \(error.localizedDescription)")
        }
        return try ModelCatalog(json: text, source: "the model file \(path)", over: embedded)
    }

    // MARK: Lookup

    /// Every entry, sorted by name.
    public var models: [ModelInfo] { entries.keys.sorted().compactMap { entries[$0] } }

    /// The entry for `model`: its exact name first, then the name without each leading
    /// `provider/` prefix (`openrouter/openai/gpt-4o` → `openai/gpt-4o` → `gpt-4o`), then the base
    /// name of a dated variant of any of those (`gpt-4o-2024-08-06` → `gpt-4o`). The returned
    /// entry's `name` says which one matched.
    public func info(_ model: String) -> ModelInfo? {
        for name in Self.lookupNames(model) { if let info = entries[name] { return info } }
        return nil
    }

    /// The names a table of models tries for `model`, in order: the name itself, then without
    /// each leading `provider/` prefix, then the base name of a dated variant of any of those.
    /// Shared by every model table (prices here, the simulator's behaviour), so a model that
    /// has a price also finds its latency profile.
    public static func lookupNames(_ model: String) -> [String] {
        var candidates = [model]
        var rest = Substring(model)
        while let slash = rest.firstIndex(of: "/") {
            rest = rest[rest.index(after: slash)...]
            if !rest.isEmpty { candidates.append(String(rest)) }
        }
        return candidates + candidates.compactMap(undated)
    }

    /// Dollars for one call, nil when the model or either price is unknown.
    ///
    /// Exact: the result is the Double nearest the true decimal cost, so gpt-4o at $2.50/$10 per
    /// million tokens gives `0.0075` for 1000 + 500 tokens, not `0.007500000000000001`. Each
    /// per-token price is rounded to whole picodollars (a millionth of a dollar per million
    /// tokens, finer than any published price), the sum is taken in integer picodollars, and
    /// only the final division by 10¹² rounds. Amounts too large for that (over about
    /// $9 million) are computed in plain floating point.
    public func cost(model: String, promptTokens: Int, completionTokens: Int) -> Double? {
        guard let info = info(model), let input = info.inputCostPerToken, let output = info.outputCostPerToken else {
            return nil
        }
        if let inputPico = Int(exactly: (input * 1e12).rounded()), let outputPico = Int(exactly: (output * 1e12).rounded()) {
            let (a, o1) = promptTokens.multipliedReportingOverflow(by: inputPico)
            let (b, o2) = completionTokens.multipliedReportingOverflow(by: outputPico)
            let (sum, o3) = a.addingReportingOverflow(b)
            if !(o1 || o2 || o3) { return Double(sum) / 1e12 }
        }
        return Double(promptTokens) * input + Double(completionTokens) * output
    }

    /// The most tokens one reply of `model` may have, nil when unknown.
    public func outputLimit(_ model: String) -> Int? { info(model)?.maxOutputTokens }

    /// `name` without a trailing date, nil when it has none. Dates are the forms providers use:
    /// `-2024-08-06` (OpenAI), `-20241022` (Anthropic), `@20241022` (Vertex), `-0613` (older
    /// OpenAI).
    static func undated(_ name: String) -> String? {
        let chars = Array(name.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { chars[$0] >= 0x30 && chars[$0] <= 0x39 } }
        let n = chars.count
        let dash = UInt8(ascii: "-"), at = UInt8(ascii: "@")
        // -YYYY-MM-DD
        if n > 11, chars[n - 11] == dash, digits(n - 10..<n - 6), chars[n - 6] == dash, digits(n - 5..<n - 3),
           chars[n - 3] == dash, digits(n - 2..<n) {
            return String(decoding: chars[..<(n - 11)], as: UTF8.self)
        }
        // -YYYYMMDD, @YYYYMMDD, -MMDD
        for length in [8, 4] where n > length + 1 {
            let separator = chars[n - length - 1]
            if (separator == dash || (separator == at && length == 8)) && digits(n - length..<n) {
                return String(decoding: chars[..<(n - length - 1)], as: UTF8.self)
            }
        }
        return nil
    }
}

/// A model file that cannot be used; the message names the file and, for a bad entry, the
/// model and field.
public struct ModelCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and where, for a person to fix the file.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Reads the catalog file format into fields and applies them to `ModelInfo`s, with errors that
/// say which file, entry and field is wrong.
private enum ModelCatalogParser {
    /// The entries of `json` in file order, each as its fields.
    static func entries(_ json: String, source: String) throws -> [(String, [(String, JSONValue)])] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(json)
        } catch {
            throw ModelCatalogError("\(source) is not valid JSON: \(error)")
        }
        guard case .object(let members) = document else {
            throw ModelCatalogError("\(source) must be a JSON object keyed by model name")
        }
        return try members.map { name, value in
            guard case .object(let fields) = value else {
                throw ModelCatalogError("\(source): entry \"\(name)\" must be an object of fields")
            }
            return (name, fields)
        }
    }

    /// Sets each field of `fields` on `info`; `null` clears an optional field.
    static func apply(_ fields: [(String, JSONValue)], to info: inout ModelInfo, source: String) throws {
        for (key, value) in fields {
            func fail(_ expected: String) -> ModelCatalogError {
                ModelCatalogError("\(source): entry \"\(info.name)\": \"\(key)\" must be \(expected), not \(value.serialized())")
            }
            /// The value of a reader (see below), or the error for this field.
            func take<T>(_ parsed: T??, _ expected: String) throws -> T? {
                guard let parsed else { throw fail(expected) }
                return parsed
            }
            guard let field = ModelInfo.CodingKeys(rawValue: key) else {
                let known = ModelInfo.CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                throw ModelCatalogError("\(source): entry \"\(info.name)\": unknown field \"\(key)\" (known: \(known))")
            }
            let money = "a number ≥ 0 or null", tokens = "an integer ≥ 0 or null", yesNo = "true, false or null"
            switch field {
            case .name:
                guard case .string(let s) = value, s == info.name else { throw fail("the entry's key \"\(info.name)\"") }
            case .provider:
                guard case .string(let s) = value, !s.isEmpty else { throw fail("a non-empty string") }
                info.provider = s
            case .inputCostPerToken: info.inputCostPerToken = try take(price(value), money)
            case .outputCostPerToken: info.outputCostPerToken = try take(price(value), money)
            case .cachedInputCostPerToken: info.cachedInputCostPerToken = try take(price(value), money)
            case .maxInputTokens: info.maxInputTokens = try take(count(value), tokens)
            case .maxOutputTokens: info.maxOutputTokens = try take(count(value), tokens)
            case .supportsJSONMode: info.supportsJSONMode = try take(flag(value), yesNo)
            case .supportsVision: info.supportsVision = try take(flag(value), yesNo)
            case .supportsTemperature: info.supportsTemperature = try take(flag(value), yesNo)
            }
        }
    }

    // Each reader returns .some(nil) for JSON null, .some(x) for a good value, nil for a bad one.

    private static func price(_ value: JSONValue) -> Double?? {
        switch value {
        case .null: return .some(nil)
        case .int(let i) where i >= 0: return Double(i)
        case .double(let d) where d >= 0 && d.isFinite: return d
        default: return nil
        }
    }

    private static func count(_ value: JSONValue) -> Int?? {
        switch value {
        case .null: return .some(nil)
        case .int(let i) where i >= 0: return i
        case .double(let d) where d >= 0 && d == d.rounded() && d < 1e15: return Int(d)
        default: return nil
        }
    }

    private static func flag(_ value: JSONValue) -> Bool?? {
        switch value {
        case .null: return .some(nil)
        case .bool(let b): return b
        default: return nil
        }
    }
}
