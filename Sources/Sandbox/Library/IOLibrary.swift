#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Printing and string ports: `display`, `write`, `print` and their `-ln` forms, `newline`,
/// `write-string`, `write-char`, string input and output ports, `read`, `eof`, the clock,
/// and `void`.
///
/// Sandbox rule: there are no file, network, process or environment primitives here, and no
/// port that reaches the process's real stdin or stdout. Reading with no port argument reads
/// from an empty port (end of file at once), since the real stdin carries the wire protocol.
func registerIOLibrary(_ lib: LibraryBuilder) {
    registerPrinting(lib)
    registerPorts(lib)
    registerReading(lib)
    registerMiscellany(lib)
}

/// Port arguments and the current ports.
enum IOPorts {
    /// The output port argument `v`.
    static func output(_ v: Value, _ who: String) throws -> OutputPort {
        if case .object(let p as OutputPort) = v { return p }
        throw SchemeError.contract(who, expected: "output-port?", given: v)
    }

    /// The optional output port argument, else the current output port.
    static func output(_ v: Value?, _ rt: Runtime, _ who: String) throws -> OutputPort {
        guard let v else { return rt.currentOutputPort() }
        return try output(v, who)
    }

    /// The optional input port argument, else an empty port.
    static func input(_ v: Value?, _ who: String) throws -> InputPort {
        guard let v else { return InputPort(scalars: []) }
        if case .object(let p as InputPort) = v { return p }
        throw SchemeError.contract(who, expected: "input-port?", given: v)
    }
}

extension Runtime {
    /// The port `eprintf` writes to: the current value of `current-error-port`.
    func currentErrorPort() -> OutputPort {
        if case .object(let port as OutputPort) = parameterValue(errorParameter) { return port }
        return currentError
    }

    /// Writes `text` to `port`, accounting for the memory a string port keeps.
    func emit(_ text: String, to port: OutputPort) throws {
        try reserve(bytes: text.utf8.count)
        try port.write(text)
    }
}

private func registerPrinting(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    let printers: [(String, Printer.Mode, String)] = [
        ("display", .display, ""), ("displayln", .display, "\n"),
        ("write", .write, ""), ("writeln", .write, "\n"),
        ("print", .print, ""), ("println", .print, "\n"),
    ]
    for (name, mode, end) in printers {
        lib.fn(name, 1, 2) { args in
            let port = try IOPorts.output(args.optional(1), rt, name)
            let text: String
            if case .string(let s) = args[0], mode == .display {
                text = s.string
            } else {
                text = try Printer.checked(args[0], mode: mode, maxDepth: rt.limits.printDepth)
            }
            try rt.emit(end.isEmpty ? text : text + end, to: port)
            return .void
        }
    }
    lib.fn("newline", 0, 1) { args in
        try rt.emit("\n", to: try IOPorts.output(args.optional(0), rt, "newline"))
        return .void
    }
    lib.fn("write-string", 1, 4) { args in
        let s = try args[0].asString("write-string")
        let port = try IOPorts.output(args.optional(1), rt, "write-string")
        let r = try StringArgs.range(args.optional(2), args.optional(3), in: s, "write-string")
        var text = String.UnicodeScalarView()
        text.append(contentsOf: s.scalars[r])
        try rt.emit(String(text), to: port)
        return .int(r.count)
    }
    lib.fn("write-char", 1, 2) { args in
        let c = try args[0].asChar("write-char")
        try rt.emit(String(Character(c)), to: try IOPorts.output(args.optional(1), rt, "write-char"))
        return .void
    }
    lib.fn("flush-output", 0, 1) { args in
        _ = try IOPorts.output(args.optional(0), rt, "flush-output")
        return .void
    }
}

private func registerPorts(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.define("current-output-port", .object(rt.outputParameter))
    lib.define("current-error-port", .object(rt.errorParameter))
    lib.fn0("open-output-string") { .object(OutputPort()) }
    lib.fn1("get-output-string") { v in
        let port = try IOPorts.output(v, "get-output-string")
        try rt.reserve(bytes: port.byteCount * 4)
        return .string(MString(port.text))
    }
    lib.fn1("open-input-string") { v in
        .object(InputPort(scalars: try v.asString("open-input-string").scalars))
    }
    lib.fn1("port?") { v in
        if case .object(let o) = v { return .bool(o is OutputPort || o is InputPort) }
        return .false
    }
    lib.fn1("input-port?") { v in
        if case .object(let o) = v { return .bool(o is InputPort) }
        return .false
    }
    lib.fn1("output-port?") { v in
        if case .object(let o) = v { return .bool(o is OutputPort) }
        return .false
    }
}

private func registerReading(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    let eof = Value.object(EofObject.shared)
    lib.define("eof", eof)
    lib.fn0("eof-object") { eof }
    lib.fn1("eof-object?") { v in
        if case .object(let o) = v { return .bool(o is EofObject) }
        return .false
    }
    lib.fn("read-char", 0, 1) { args in
        try IOPorts.input(args.optional(0), "read-char").readChar().map { .char($0) } ?? eof
    }
    lib.fn("peek-char", 0, 2) { args in
        let port = try IOPorts.input(args.optional(0), "peek-char")
        let skip = try args.optional(1).map { try $0.asIndex("peek-char") } ?? 0
        return port.peek(skip: skip).map { .char($0) } ?? eof
    }
    lib.fn("read-string", 1, 2) { args in
        let n = try args[0].asIndex("read-string")
        let port = try IOPorts.input(args.optional(1), "read-string")
        if n == 0 { return .string(MString([])) }
        guard let s = port.readString(n) else { return eof }
        try rt.reserveString(s.count)
        return .string(MString(s))
    }
    lib.fn("read-line", 0, 2) { args in
        let port = try IOPorts.input(args.optional(0), "read-line")
        var mode = InputPort.LineMode.linefeed
        if let m = args.optional(1) {
            guard case .symbol(let s) = m, let parsed = InputPort.LineMode(rawValue: s.name) else {
                throw SchemeError.contract("read-line", expected: "(or/c 'linefeed 'return 'return-linefeed 'any 'any-one)", given: m)
            }
            mode = parsed
        }
        guard let line = port.readLine(mode) else { return eof }
        try rt.reserveString(line.count)
        return .string(MString(line))
    }
    lib.fn("read", 0, 1) { args in
        try Reader.readOne(from: try IOPorts.input(args.optional(0), "read"))
    }
}

private func registerMiscellany(_ lib: LibraryBuilder) {
    lib.fn("void", 0, nil) { _ in .void }
    lib.fn1("void?") { v in
        if case .void = v { return .true }
        return .false
    }
    lib.fn0("current-inexact-milliseconds") { .double(EpochClock.milliseconds()) }
    lib.fn0("current-milliseconds") { .int(Int(EpochClock.milliseconds())) }
    lib.fn0("current-seconds") { .int(Int(EpochClock.milliseconds() / 1000)) }
}

/// Real time since the Unix epoch.
enum EpochClock {
    static func milliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }
}
