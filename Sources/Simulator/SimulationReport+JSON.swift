import Foundation
import Sandbox

/// The report's encoding (`simulate --json`, docs/simulation-report.md): snake_case keys;
/// figures are numbers for one run and `{p5, p50, p95, mean, sd}` for several.
extension SimulationReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case seed, runs, status, result, value, error, calls
        case inputTokens = "input_tokens", outputTokens = "output_tokens", tokenCounts = "token_counts"
        case cost = "cost_usd", latency = "latency_s", rateLimitWait = "rate_limit_wait_s", retries, outputs
        case schedule, byModel = "by_model", byCallSite = "by_call_site", rateLimits = "rate_limits", warnings
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decode(UInt64.self, forKey: .seed)
        runCount = try c.decode(Int.self, forKey: .runs)
        status = try c.decode(String.self, forKey: .status)
        result = try c.decodeIfPresent(String.self, forKey: .result)
        value = try c.decodeIfPresent(JSONValueCoding.self, forKey: .value)?.value
        error = try c.decodeIfPresent(String.self, forKey: .error)
        calls = try c.decode(Distribution.self, forKey: .calls)
        inputTokens = try c.decode(Distribution.self, forKey: .inputTokens)
        outputTokens = try c.decode(Distribution.self, forKey: .outputTokens)
        tokenCountsExact = try c.decode(String.self, forKey: .tokenCounts) == "exact"
        cost = try c.decode(Distribution.self, forKey: .cost)
        latency = try c.decode(Distribution.self, forKey: .latency)
        rateLimitWait = try c.decode(Distribution.self, forKey: .rateLimitWait)
        retries = try c.decode(Distribution.self, forKey: .retries)
        outputs = try c.decode(Distribution.self, forKey: .outputs)
        schedule = try c.decode(ScheduleShape.self, forKey: .schedule)
        byModel = try c.decode([ModelUsage].self, forKey: .byModel)
        byCallSite = try c.decode([CallSiteUsage].self, forKey: .byCallSite)
        rateLimits = try c.decode([RateLimitAssumption].self, forKey: .rateLimits)
        warnings = try c.decode([SimulationWarning].self, forKey: .warnings)
        runs = []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func figure(_ d: Distribution, _ key: CodingKeys) throws {
            if runCount == 1 { try c.encode(d.p50, forKey: key) } else { try c.encode(d, forKey: key) }
        }
        try c.encode(seed, forKey: .seed)
        try c.encode(runCount, forKey: .runs)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(result, forKey: .result)
        try c.encodeIfPresent(value.map(JSONValueCoding.init), forKey: .value)
        try c.encodeIfPresent(error, forKey: .error)
        try figure(calls, .calls)
        try figure(inputTokens, .inputTokens)
        try figure(outputTokens, .outputTokens)
        try c.encode(tokenCountsExact ? "exact" : "estimated", forKey: .tokenCounts)
        try figure(cost, .cost)
        try figure(latency, .latency)
        try figure(rateLimitWait, .rateLimitWait)
        try figure(retries, .retries)
        try figure(outputs, .outputs)
        try c.encode(schedule, forKey: .schedule)
        try c.encode(byModel, forKey: .byModel)
        try c.encode(byCallSite, forKey: .byCallSite)
        try c.encode(rateLimits, forKey: .rateLimits)
        try c.encode(warnings, forKey: .warnings)
    }

    /// The encoder `simulate --json` uses: sorted keys, so the same seed prints the same bytes.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Figures are finite; should one not be, say so in the JSON rather than fail.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The `--json` report as one line of text.
    public func json() throws -> String {
        String(decoding: try Self.jsonEncoder().encode(self), as: UTF8.self)
    }

    /// Decodes a report printed by `simulate --json`.
    public static func decode(json: Data) throws -> SimulationReport {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(SimulationReport.self, from: json)
    }
}

/// Carries a `JSONValue` through `Codable` (object keys keep their order when encoded without
/// `.sortedKeys`).
struct JSONValueCoding: Codable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            value = .object(try object.allKeys.map { ($0.stringValue, try object.decode(JSONValueCoding.self, forKey: $0).value) })
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValueCoding.self).value) }
            value = .array(items)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { value = .null }
            else if let b = try? single.decode(Bool.self) { value = .bool(b) }
            else if let i = try? single.decode(Int.self) { value = .int(i) }
            else if let d = try? single.decode(Double.self) { value = .double(d) }
            else { value = .string(try single.decode(String.self)) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(JSONValueCoding(item)) }
        case .object(let members):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in members { try c.encode(JSONValueCoding(v), forKey: Key(stringValue: k)) }
        }
    }
}
