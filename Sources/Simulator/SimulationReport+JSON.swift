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
        value = try c.decodeIfPresent(JSONValue.self, forKey: .value)
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
        try c.encodeIfPresent(value, forKey: .value)
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
