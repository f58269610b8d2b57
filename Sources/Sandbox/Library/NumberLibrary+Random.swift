/// `random` and `random-seed`, drawing from the session's seedable generator (`Runtime.random`),
/// so a seeded run is reproducible. The sequence differs from Racket's own generator.
func registerRandom(_ lib: LibraryBuilder) {
    let runtime = lib.runtime
    /// Racket's bound on `(random k)` and on `(- max min)`.
    let maxRange = 4_294_967_087
    lib.fn("random", 0, 2) { args in
        switch args.count {
        case 0:
            return .double(runtime.random.nextDouble())
        case 1:
            guard case .int(let k) = args[0], k >= 1, k <= maxRange else {
                throw SchemeError.contract("random", expected: "(or/c (integer-in 1 \(maxRange)) pseudo-random-generator?)",
                                           given: args[0])
            }
            return .int(Int(runtime.random.next(below: UInt64(k))))
        default:
            let all = args.array()
            guard case .int(let low) = args[0] else {
                throw SchemeError.contract("random", expected: "exact-integer?", given: args[0], argument: 0, of: all)
            }
            guard case .int(let high) = args[1] else {
                throw SchemeError.contract("random", expected: "exact-integer?", given: args[1], argument: 1, of: all)
            }
            guard high > low else {
                throw SchemeError.contract("random", expected: "(>/c \(low))", given: args[1], argument: 1, of: all)
            }
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, span <= maxRange else {
                throw SchemeError.contract("random", expected: "(integer-in \(low) \(low + maxRange))",
                                           given: args[1], argument: 1, of: all)
            }
            return .int(low + Int(runtime.random.next(below: UInt64(span))))
        }
    }
    lib.fn1("random-seed") { v in
        guard case .int(let k) = v, k >= 0, k < 1 << 31 else {
            throw SchemeError.contract("random-seed", expected: "(integer-in 0 (sub1 (expt 2 31)))", given: v)
        }
        runtime.random.reseed(UInt64(k))
        return .void
    }
}
