import Foundation

extension RateLimitSnapshot {
    /// The `x-ratelimit-*` headers of a reply (reference §7.4), or nil when it has none of them.
    /// `headers` must have lowercased names. Counts that are missing or not integers read as 0.
    init?(headers: [String: String]) {
        let prefix = "x-ratelimit-"
        guard headers.keys.contains(where: { $0.hasPrefix(prefix) }) else { return nil }
        func count(_ name: String) -> Int { Int(headers[prefix + name]?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0 }
        self.init(limitRequests: count("limit-requests"), limitTokens: count("limit-tokens"),
                  remainingRequests: count("remaining-requests"), remainingTokens: count("remaining-tokens"),
                  resetRequests: headers[prefix + "reset-requests"] ?? "", resetTokens: headers[prefix + "reset-tokens"] ?? "")
    }

    /// Seconds in a reset duration as OpenAI sends it, in Go's duration syntax: `"1s"`, `"6m0s"`,
    /// `"20ms"`, `"1h2m3.5s"`, `"150us"`; a bare number is seconds. nil when it does not parse.
    public static func seconds(inResetDuration text: String) -> Double? {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        if let plain = Double(String(String.UnicodeScalarView(scalars))) { return plain >= 0 ? plain : nil }
        var total = 0.0
        var index = 0
        while index < scalars.count {
            var number = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == "." {
                number.unicodeScalars.append(scalars[index])
                index += 1
            }
            var unit = ""
            while index < scalars.count, !("0"..."9").contains(scalars[index]), scalars[index] != "." {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let value = Double(number) else { return nil }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1e3
            case "us", "µs", "μs": total += value / 1e6
            case "ns": total += value / 1e9
            default: return nil
            }
        }
        return total
    }
}
