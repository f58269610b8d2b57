import BigInt
import Testing
@testable import Sandbox

/// Trims an `ERR …` result to its first two lines (the `given:` line belongs to the printer).
private func firstTwoLines(_ s: String) -> String {
    guard s.hasPrefix("ERR") else { return s }
    return s.split(separator: "\n", omittingEmptySubsequences: false).prefix(2).joined(separator: "\n")
}

@Suite("Number library")
struct NumberTests {
    let h = NumberHarness()

    @Test("every primitive agrees with Racket 8.7 on the recorded cases")
    func racketCases() {
        for (expression, expected) in racketNumberCases {
            #expect(firstTwoLines(h.eval(expression)) == expected, "\(expression)")
        }
    }

    // MARK: Rendering (reference §4.7)

    @Test("flonums render with Racket's positional/scientific rule")
    func flonumRendering() {
        let cases: [(Double, String)] = [
            (1.0, "1.0"), (100.0, "100.0"), (1e10, "10000000000.0"), (1e13, "10000000000000.0"),
            (12345678901234567000.0, "12345678901234567000.0"), (0.1, "0.1"), (0.0001, "0.0001"),
            (0.30000000000000004, "0.30000000000000004"), (-0.25, "-0.25"), (1e14, "1e+14"),
            (1.5e14, "1.5e+14"), (1e21, "1e+21"), (1e-5, "1e-5"), (2.5e-7, "2.5e-7"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (.leastNonzeroMagnitude, "5e-324"),
            (.infinity, "+inf.0"), (-.infinity, "-inf.0"), (.nan, "+nan.0"), (-0.0, "-0.0"), (0.0, "0.0"),
            (123456789012345.0, "123456789012345.0"), (1.25e17, "1.25e+17"), (1.23e17, "1.23e+17"), (123456789012345678.0, "123456789012345680.0"),
            // Halfway between two shortest candidates: Racket takes the upper one.
            (868412122370654.25, "868412122370654.3"), (-2131840612963129.25, "-2131840612963129.3"),
        ]
        for (d, text) in cases {
            #expect(NumberFormat.render(.double(d)) == text, "\(d)")
        }
    }

    @Test("exact numbers render in any radix")
    func exactRendering() {
        #expect(NumberFormat.render(.int(-255), radix: 16) == "-ff")
        #expect(NumberFormat.render(.object(BigNum(BigInt(1) << 100))) == "1267650600228229401496703205376")
        #expect(NumberFormat.render(Arithmetic.rational(1, 3)) == "1/3")
        #expect(NumberFormat.render(Arithmetic.rational(-3, 6), radix: 2) == "-1/10")
        #expect(NumberFormat.render(Complex.make(.int(0), .int(1))) == "0+1i")
        #expect(NumberFormat.render(Complex.make(1.5, -2)) == "1.5-2.0i")
        #expect(NumberFormat.render(Complex.make(0, .nan)) == "0.0+nan.0i")
    }

    // MARK: Parsing (the reader calls `parse` for every atom)

    @Test("tokens that are not numbers parse to nil")
    func nonNumbers() {
        for token in ["+", "-", "...", "1+", "a1", ".", "+.", "1e", "1e+", "1/0", "5/-10", "1.5/2", "#e+inf.0",
                      "1_000", "0x10", "define", "->", "-x", "#x#x1", "#", "#e", "1/2.", "", "+-1", "--1", "1..2"] {
            #expect(NumberFormat.parse(token) == nil, "\(token)")
        }
    }

    @Test("numeric tokens parse to the right kind of number")
    func numericTokens() {
        let cases: [(String, String)] = [
            ("42", "42"), ("-17", "-17"), ("+5", "5"), ("-0", "0"), ("1.5", "1.5"), (".5", "0.5"), ("5.", "5.0"),
            ("-.5e1", "-5.0"), ("1e400", "+inf.0"), ("1e-400", "0.0"), ("-0.0", "-0.0"), ("4/2", "2"),
            ("-6/4", "-3/2"), ("#x1F", "31"), ("#b-101", "-5"), ("#o17", "15"), ("#e1.25", "5/4"),
            ("#i1/4", "0.25"), ("#x#e1.8", "3/2"), ("+inf.0", "+inf.0"), ("-nan.0", "+nan.0"),
            ("123456789012345678901234567890", "123456789012345678901234567890"),
            ("9223372036854775807", "9223372036854775807"), ("-9223372036854775808", "-9223372036854775808"),
            ("1d3", "1000.0"), ("+i", "0+1i"), ("1-2.5i", "1.0-2.5i"),
        ]
        for (token, rendered) in cases {
            let v = NumberFormat.parse(token)
            #expect(v.map { NumberFormat.render($0) } == rendered, "\(token)")
        }
        #expect(NumberFormat.parse("ff", radix: 16).map { NumberFormat.render($0) } == "255")
        if case .int(let i)? = NumberFormat.parse("9223372036854775807") { #expect(i == .max) } else {
            Issue.record("largest fixnum should stay a fixnum")
        }
        if case .object(let o)? = NumberFormat.parse("9223372036854775808") { #expect(o is BigNum) } else {
            Issue.record("2^63 should be a bignum")
        }
    }

    @Test("render then parse gives back the same flonum")
    func flonumRoundTrip() {
        var rng = RandomState(seed: 7)
        for _ in 0..<2000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            let text = NumberFormat.render(.double(d))
            guard case .double(let back)? = NumberFormat.parse(text) else {
                Issue.record("\(text) did not parse as a flonum")
                continue
            }
            #expect(back.bitPattern == d.bitPattern, "\(text)")
        }
    }

    @Test("exact values survive render and parse")
    func exactRoundTrip() {
        let values: [Value] = [.int(.min), .int(.max), Value.integer(BigInt(3).power(90)),
                               Value.integer(-BigInt(7).power(40)), Arithmetic.rational(-22, 7)]
        for v in values {
            let back = NumberFormat.parse(NumberFormat.render(v))
            #expect(back.map { Equality.eqv($0, v) } == true, "\(NumberFormat.render(v))")
        }
    }

    // MARK: The VM's entry points

    @Test("fixnum overflow promotes to bignums and results are normalised back to fixnums")
    func overflowPromotion() throws {
        let big = try Arithmetic.add(.int(.max), .int(1))
        #expect(NumberFormat.render(big) == "9223372036854775808")
        if case .int(let i) = try Arithmetic.sub(big, .int(1)) { #expect(i == .max) } else {
            Issue.record("bignum - 1 should be a fixnum again")
        }
        #expect(NumberFormat.render(try Arithmetic.mul(.int(.min), .int(-1))) == "9223372036854775808")
        #expect(NumberFormat.render(try Arithmetic.sub(.int(.min), .int(1))) == "-9223372036854775809")
        #expect(NumberFormat.render(try Arithmetic.div(.int(.min), .int(-1))) == "9223372036854775808")
    }

    @Test("compare is exact across flonums and exact numbers, and nil for NaN")
    func comparisons() throws {
        #expect(try Arithmetic.compare(.int(1), .double(.nan), who: "<") == nil)
        #expect(try Arithmetic.compare(Value.integer(BigInt(1) << 53 + 1), .double(9007199254740992), who: "<") == 1)
        #expect(try Arithmetic.compare(Arithmetic.rational(1, 3), .double(1.0 / 3), who: "<") == 1)
        #expect(try Arithmetic.compare(.double(-.infinity), Value.integer(-(BigInt(1) << 2000)), who: "<") == -1)
        #expect(try Arithmetic.numEqual(.double(0.5), Arithmetic.rational(1, 2)))
        #expect(try !Arithmetic.numEqual(.double(.nan), .double(.nan)))
        #expect(throws: SchemeError.self) { try Arithmetic.compare(.int(1), .str("a"), who: "<") }
        #expect(try Arithmetic.isZero(.double(-0.0)))
        #expect(Arithmetic.isNumber(Arithmetic.rational(1, 2)) && !Arithmetic.isNumber(.str("1")))
    }

    @Test("eqv? on numbers compares exactness and value")
    func numberEqv() {
        #expect(Arithmetic.eqv(.int(2), .double(2)) == false)
        #expect(Arithmetic.eqv(.double(0.0), .double(-0.0)) == false)
        #expect(Arithmetic.eqv(.double(.nan), .double(-.nan)) == true)
        #expect(Arithmetic.eqv(Value.integer(BigInt(1) << 70), Value.integer(BigInt(1) << 70)) == true)
        #expect(Arithmetic.eqv(Arithmetic.rational(1, 2), Arithmetic.rational(2, 4)) == true)
        #expect(Arithmetic.eqv(Complex.make(.int(0), .int(1)), Complex.make(.int(0), .int(1))) == true)
        #expect(Arithmetic.eqv(Complex.make(.int(0), .int(1)), Complex.make(0, 1)) == false)
        #expect(Arithmetic.eqv(.int(1), .str("1")) == nil)
    }

    @Test("division by an exact zero is an error with Racket's message")
    func divisionByZero() {
        for expression in ["(/ 1 0)", "(/ 1.0 0)", "(/ 5 2 0)", "(/ 1/2 0)"] {
            #expect(h.eval(expression) == "ERR /: division by zero", "\(expression)")
        }
        do {
            _ = try Arithmetic.div(.int(1), .int(0))
            Issue.record("expected an error")
        } catch let e as SchemeError {
            #expect(e.code == .divideByZero)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("exact->inexact rounds correctly, subnormals included")
    func correctRounding() {
        #expect(Arithmetic.toDouble(Value.integer(BigInt("12345678901234567890"))) == 12345678901234567890.0)
        #expect(Arithmetic.toDouble(Value.integer(BigInt(1) << 1024)) == .infinity)
        #expect(Arithmetic.toDouble(Arithmetic.rational(1, BigInt(10).power(320))) == Double("1e-320"))
        #expect(Arithmetic.toDouble(Arithmetic.rational(1, BigInt(1) << 1075)) == 0)
        #expect(Arithmetic.toDouble(Arithmetic.rational(3, BigInt(1) << 1076)) == .leastNonzeroMagnitude)
        // 2^53 + 1 is halfway between two flonums: ties go to even.
        #expect(Arithmetic.toDouble(Value.integer(BigInt(1) << 53 + 1)) == 9007199254740992)
        #expect(Arithmetic.toDouble(Value.integer(BigInt(1) << 53 + 3)) == 9007199254740996)
    }

    // MARK: Library behaviour beyond the Racket table

    @Test("random is reproducible under random-seed and stays in range")
    func randomNumbers() throws {
        _ = h.eval("(random-seed 7)")
        let first = (0..<5).map { _ in h.eval("(random 100)") }
        _ = h.eval("(random-seed 7)")
        let second = (0..<5).map { _ in h.eval("(random 100)") }
        #expect(first == second)
        for _ in 0..<200 {
            guard case .int(let k) = try h.call("random", [.int(-3), .int(4)]) else {
                Issue.record("random should return a fixnum")
                continue
            }
            #expect((-3..<4).contains(k))
            guard case .double(let d) = try h.call("random", []) else {
                Issue.record("random should return a flonum")
                continue
            }
            #expect(d >= 0 && d < 1)
        }
    }

    @Test("~r formats with precision, width, padding, base and notation")
    func formatR() {
        let cases: [(String, String)] = [
            ("(~r 3.14159 #:precision 2)", "\"3.14\""), ("(~r 2 #:precision '(= 2))", "\"2.00\""),
            ("(~r 7 #:min-width 4 #:pad-string \"0\")", "\"0007\""), ("(~r -7 #:min-width 4)", "\"-   7\""),
            ("(~r 255 #:base '(up 16))", "\"FF\""), ("(~r 123456 #:notation 'exponential)", "\"1.23456e+05\""),
            ("(~r 1e21)", "\"1000000000000000000000\""), ("(~r 2/3 #:precision 3)", "\"0.667\""),
        ]
        for (expression, expected) in cases {
            #expect(h.eval(expression) == expected, "\(expression)")
        }
    }

    @Test("huge exact powers hit the memory limit instead of allocating")
    func exptMemoryGuard() {
        var limits = Limits()
        limits.memoryBytes = 1 << 20
        let rt = Runtime(limits: limits)
        rt.fuelRemaining = .max
        registerNumberLibrary(LibraryBuilder(runtime: rt))
        guard case .primitive(let p)? = rt.global("expt"), case .fixed2(let expt) = p.body else {
            Issue.record("expt should be a two-argument primitive")
            return
        }
        do {
            _ = try expt(.int(3), .int(100_000_000))
            Issue.record("expected a memory error")
        } catch let e as SchemeError {
            #expect(e.code == .memoryLimit)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(h.eval("(expt -1 100000000000000000000001)") == "-1")
        #expect(h.eval("(arithmetic-shift 1 200)") == "1606938044258990275541962092341162602522202993782792835301376")
    }

    @Test("primitives that the compiler may inline are marked")
    func inlineOps() {
        for (name, op) in [("+", InlineOp.add), ("-", .sub), ("*", .mul), ("=", .numEq), ("<", .lt),
                           (">", .gt), ("<=", .le), (">=", .ge), ("zero?", .isZero), ("add1", .add1), ("sub1", .sub1)] {
            guard case .primitive(let p)? = h.runtime.global(name) else {
                Issue.record("\(name) missing")
                continue
            }
            #expect(p.inlineOp == op, "\(name)")
        }
    }
}
