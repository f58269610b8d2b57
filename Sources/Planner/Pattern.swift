import Foundation

/// One strategy of the library: a runnable Scheme program (`patterns/NAME.scm`) and what its
/// header says about it (the shared contract, `docs/planner.md`).
public struct Pattern: Sendable, Equatable, Encodable {
    /// How many outputs a pattern's `finish` value carries.
    public enum Outputs: String, Sendable, Encodable, CaseIterable {
        /// One result per item (a list, or a hash with `items`).
        case perItem = "per-item"
        /// One result per item plus a `synthesis` string.
        case perItemWithSynthesis = "per-item+synthesis"
        /// A single answer (a string).
        case single
    }

    /// One `param NAME: DEFAULT | description` line and the `(define NAME DEFAULT)` it names.
    public struct Parameter: Sendable, Equatable, Encodable {
        public var name: String
        /// The default as the code writes it, unquoted for strings (`gpt-4.1-nano`, `20`).
        public var defaultValue: String
        public var description: String
        /// The model role (`worker`, `synthesiser`, `critic`, `judge`, `planner`, `cheap`, `strong`)
        /// for a model parameter, nil otherwise.
        public var role: String?
        /// Whether the code's default is a string literal (so a new value is written quoted).
        public var isString: Bool
        /// UTF-8 offsets of the default's text in `source` (what instantiation replaces).
        var valueRange: Range<Int>

        enum CodingKeys: String, CodingKey { case name, defaultValue = "default", description, role }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(defaultValue, forKey: .defaultValue)
            try c.encode(description, forKey: .description)
            try c.encodeIfPresent(role, forKey: .role)
        }

        init(name: String, defaultValue: String, description: String, role: String?, isString: Bool, valueRange: Range<Int>) {
            self.name = name
            self.defaultValue = defaultValue
            self.description = description
            self.role = role
            self.isString = isString
            self.valueRange = valueRange
        }
    }

    /// The file's base name (`fan-out`), which must equal the header's `pattern:`.
    public var name: String
    public var title: String
    public var purpose: String
    /// The combinators it uses, as the header lists them.
    public var combinators: [String]
    /// Task kinds it suits (`extraction`, `summarisation`, …).
    public var kinds: [String]
    public var outputs: Outputs
    /// The quality prior (0–1) and the reason given for it.
    public var quality: Double
    public var qualityReason: String
    public var fits: String
    public var avoid: String
    public var parameters: [Parameter]
    /// Whether its cost, tokens and calls grow in proportion to the items (header `scaling:
    /// per-item`, the default for per-item outputs), so the planner may screen it on a sample
    /// and scale; `scaling: whole` (the default for one answer, and for budget-capped or
    /// fixed-cost work) is screened at full scale.
    public var scalesPerItem: Bool
    /// Parameters that are totals for the whole data (`scaling: per-item | budget-usd`): a run on
    /// a sample gets them multiplied by sample / items, so the sample stays a scaled-down copy.
    public var totalParameters: [String]
    /// The whole file, header included.
    public var source: String

    enum CodingKeys: String, CodingKey {
        case name, title, purpose, combinators, kinds, outputs, quality, qualityReason = "quality_reason", fits, avoid
        case parameters, scalesPerItem = "scales_per_item", totalParameters = "total_parameters", source
    }

    /// The values of `totalParameters` (from `values`, else the defaults) multiplied by `factor`.
    func sampleScaledParameters(_ values: [String: String], factor: Double) -> [String: String] {
        var out: [String: String] = [:]
        for name in totalParameters {
            guard let p = parameter(name), let x = Double(values[name] ?? p.defaultValue) else { continue }
            out[name] = String(format: "%.8f", x * factor)
        }
        return out
    }

    /// The model parameters, in header order.
    public var modelParameters: [Parameter] { parameters.filter { $0.role != nil } }

    /// The parameter called `name`.
    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// The program with each parameter in `values` set (others keep their defaults); nothing else
    /// in the text changes.
    ///
    /// - Throws: `PlannerError` for an unknown parameter or a non-numeric value for a numeric one.
    public func instantiate(_ values: [String: String]) throws -> String {
        var replacements: [(Range<Int>, String)] = []
        for (name, value) in values {
            guard let p = parameter(name) else {
                throw PlannerError("pattern \(self.name) has no parameter \(name) (it has: \(parameters.map(\.name).joined(separator: ", ")))")
            }
            if p.isString {
                replacements.append((p.valueRange, SchemeText.stringLiteral(value)))
            } else {
                guard SchemeText.isPlainDatum(value) else {
                    throw PlannerError("pattern \(self.name): parameter \(name) takes a number or symbol, not \(value)")
                }
                replacements.append((p.valueRange, value))
            }
        }
        var bytes = Array(source.utf8)
        for (range, text) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            bytes.replaceSubrange(range, with: Array(text.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Small helpers for writing Scheme text.
enum SchemeText {
    /// `s` as a Scheme string literal.
    static func stringLiteral(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// A number, boolean or symbol: one token with no delimiters, safe to write bare.
    static func isPlainDatum(_ s: String) -> Bool {
        !s.isEmpty && !s.contains { $0.isWhitespace || "()[]{}\";'`,|".contains($0) }
    }
}
