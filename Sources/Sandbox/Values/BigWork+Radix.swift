import BigInt

/// Radix conversion of big integers in steps the limits can stop.
///
/// BigInt converts text to a number one word at a time and a number to text one division by a
/// word at a time, both quadratic and uninterruptible (a 1M-digit literal or `number->string`
/// ran for over 40 s). Parsing here splits the digits in halves and joins them with Karatsuba
/// multiplications (`hi * radix^k + lo`), so it costs O(M(n) log n); printing splits the number
/// by powers of the radix with charged divisions. Below `directDigits` BigInt's own code is fastest.
extension BigWork {
    static let directDigits = 1_200

    /// The integer written with `digits` (ASCII, already validated) in `radix`; nil for bad digits.
    static func parse(_ digits: ArraySlice<UInt8>, radix: Int) throws -> BigInt? {
        if digits.count <= directDigits {
            return BigInt(String(decoding: digits, as: UTF8.self), radix: radix)
        }
        var powers = PowerTable(radix: radix, base: directDigits)
        return try parse(digits, &powers)
    }

    private static func parse(_ digits: ArraySlice<UInt8>, _ powers: inout PowerTable) throws -> BigInt? {
        if digits.count <= powers.base {
            try chargeStep(.convert, cost: Double(digits.count))
            return BigInt(String(decoding: digits, as: UTF8.self), radix: powers.radix)
        }
        // The low part takes the largest power-of-two multiple of `base` digits below the count.
        var level = 0
        while powers.digits(level + 1) < digits.count { level += 1 }
        let lowCount = powers.digits(level)
        let split = digits.endIndex - lowCount
        guard let high = try parse(digits[digits.startIndex..<split], &powers),
              let low = try parse(digits[split...], &powers) else { return nil }
        let scale = try powers.power(level)
        let product = try perform(.multiply, cost: multiplyCost(high, scale)) { high * scale }
        return product + low
    }

    /// `x` written in `radix` (lowercase letters above 9), without a sign for non-negative `x`.
    static func render(_ x: BigInt, radix: Int) throws -> String {
        if x.magnitude.bitWidth <= directDigits * 3 {
            return String(x, radix: radix)
        }
        var powers = PowerTable(radix: radix, base: directDigits)
        var out = x.sign == .minus ? "-" : ""
        try render(x.magnitude.asSigned, pad: 0, &powers, into: &out)
        return out
    }

    /// Appends `x` (non-negative), left-padded with zeros to `pad` digits.
    private static func render(_ x: BigInt, pad: Int, _ powers: inout PowerTable, into out: inout String) throws {
        // Below radix^base BigInt's own conversion is used (this also ends the recursion).
        if try x.magnitude.bitWidth <= powers.base * 3 || x < powers.power(0) {
            try chargeStep(.convert, cost: BigWork.words(x) * BigWork.words(x) * 4)
            let text = String(x, radix: powers.radix)
            if text.utf8.count < pad { out += String(repeating: "0", count: pad - text.utf8.count) }
            out += text
            return
        }
        // The largest power radix^(base·2^level) not above x splits it into high and low digits.
        var level = 0
        while try powers.power(level + 1) <= x { level += 1 }
        let divisor = try powers.power(level)
        let (high, low) = try perform(.divide, cost: divideCost(x, divisor)) { x.quotientAndRemainder(dividingBy: divisor) }
        let lowDigits = powers.digits(level)
        try render(high, pad: pad > 0 ? pad - lowDigits : 0, &powers, into: &out)
        try render(low, pad: lowDigits, &powers, into: &out)
    }

    /// radix^(base·2^level), computed by charged squarings and kept for the conversion.
    struct PowerTable {
        let radix: Int
        let base: Int
        private var table: [BigInt] = []

        init(radix: Int, base: Int) {
            self.radix = radix
            self.base = base
        }

        func digits(_ level: Int) -> Int { level >= 50 ? .max / 2 : base << level }

        mutating func power(_ level: Int) throws -> BigInt {
            if table.isEmpty { table.append(BigInt(radix).power(base)) }
            while table.count <= level {
                let p = table[table.count - 1]
                table.append(try perform(.multiply, cost: multiplyCost(p, p)) { p * p })
            }
            return table[level]
        }
    }
}
