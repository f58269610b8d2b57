#if os(Linux)
import Foundation
import Testing
@testable import Sandbox

/// Issue 12's acceptance as a user meets it: every reproducer, sent to ONE `rlm-plan
/// sandbox-server` with `--cpu-seconds 2 --wall-seconds 6`, is answered within 7 s of CPU with a clear
/// error (or its honest value), the process never holds 1 GiB of memory, and the same session then
/// answers with its earlier definitions intact.
@Suite("Hardening: the reproducers over one sandbox-server session")
struct HardeningServerTests {
    /// A reproducer, and what its reply must say when it is an error.
    private struct Reproducer {
        let label: String
        let code: String
        /// Substrings one of which the error message must contain; empty: the value may also finish.
        let errorMentions: [String]
    }

    private static let reproducers: [Reproducer] = [
        Reproducer(label: "define 10^1000000", code: "(define x (expt 10 1000000)) (finish 1)", errorMentions: []),
        Reproducer(label: "finish 10^1000000", code: "(finish (expt 10 1000000))", errorMentions: []),
        Reproducer(label: "1M-digit literal", code: "(define big " + String(repeating: "7", count: 1_000_000) + ") (finish 1)", errorMentions: []),
        Reproducer(label: "string->number", code: #"(finish (integer-length (string->number (make-string 1000000 #\7))))"#, errorMentions: []),
        Reproducer(label: "* and quotient", code: "(define a (expt 7 1200000)) (define b (* a a)) (finish (integer-length (quotient b (+ a 1))))", errorMentions: []),
        Reproducer(label: "~r precision", code: "(finish (string-length (~r 3.14159 #:precision 1000000)))", errorMentions: []),
        Reproducer(label: "9,999 nested lets", code: "(finish " + String(repeating: "(let ([x 1]) ", count: 9_999) + "x" + String(repeating: ")", count: 9_999) + ")", errorMentions: []),
        Reproducer(label: "300k strings", code: #"(finish (make-list 300000 "abcdefghi"))"#, errorMentions: []),
        Reproducer(label: "10 MB result", code: #"(finish (make-string 10000000 #\a))"#, errorMentions: []),
        // The 150 MB string literal is streamed (see `hugeLiteralLine`), not built here.
        Reproducer(label: "150 MB literal", code: "", errorMentions: ["out of memory"]),
        Reproducer(label: "doubling macro", code: "(define-syntax g (syntax-rules () [(_ x ...) (g x ... x ...)])) (g 1)", errorMentions: ["g: macro expansion"]),
        Reproducer(label: "growing macro", code: "(define-syntax f (syntax-rules () [(_ x ...) (f x ... 1)])) (f)", errorMentions: ["f: macro expansion"]),
        Reproducer(label: "string doubling", code: #"(let loop ([s "a"]) (loop (string-append s s)))"#, errorMentions: ["out of memory"]),
        Reproducer(label: "10M-deep recursion", code: "(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1))))) (deep 10000000)", errorMentions: ["limit", "memory", "recursion"]),
    ]

    @Test("every reproducer ends within 7 s under 1 GiB, and the session keeps its definitions")
    func reproducersOverOneSession() throws {
        let server = try ServerConnection(["--cpu-seconds", "2", "--wall-seconds", "6"])
        defer { _ = try? server.closeInput(); _ = server.waitForExit() }
        try server.send(#"{"op":"eval","code":"(define kept 42)"}"#)
        #expect(server.readLine()?.contains(#""status":"ok""#) == true)
        for r in Self.reproducers {
            let start = Date()
            let cpuBefore = try Self.cpuSeconds(pid: server.process.processIdentifier)
            if r.code.isEmpty {
                try Self.sendHugeLiteralLine(to: server)
            } else {
                try server.send(JSONValue.object([("op", .string("eval")), ("code", .string(r.code))]).serialized())
            }
            let reply = try #require(server.readLine(timeout: 60), "\(r.label): no reply")
            let seconds = Date().timeIntervalSince(start)
            let cpu = try Self.cpuSeconds(pid: server.process.processIdentifier) - cpuBefore
            print("[hardening-server] \(r.label): \(String(format: "%.2f", seconds)) s, \(String(format: "%.2f", cpu)) s CPU, \(reply.prefix(200))")
            // The 7 s of the acceptance are measured as the server's CPU time: on a loaded shared
            // machine (the suite runs beside other builds) its wall time stretches with the load.
            // The wall-time bound only catches a reproducer that runs on past every limit.
            #expect(cpu < 7, "\(r.label) computed for \(cpu) s")
            #expect(seconds < 30, "\(r.label) took \(seconds) s")
            let parsed = try JSONValue.parse(reply)
            if case .string("error")? = parsed["status"] {
                let message = parsed["message"].map { CallbackReply.display($0) } ?? ""
                #expect(!message.isEmpty, "\(r.label): an error without a message")
                if !r.errorMentions.isEmpty {
                    #expect(r.errorMentions.contains { message.contains($0) }, "\(r.label): \(message.prefix(200))")
                }
            } else {
                #expect(r.errorMentions.isEmpty, "\(r.label) should fail with a clear error: \(reply.prefix(200))")
                #expect(parsed["status"] == .string("finished"), "\(r.label): \(reply.prefix(200))")
            }
            try server.send(#"{"op":"eval","code":"(finish kept)"}"#)
            let next = server.readLine()
            #expect(next?.contains(#""result":"42""#) == true, "\(r.label): the session lost its definitions: \(next ?? "no reply")")
        }
        // After the out-of-memory errors, a small allocation works without reset.
        try server.send(#"{"op":"eval","code":"(finish (string-length (make-string 1000 #\\a)))"}"#)
        #expect(server.readLine()?.contains(#""result":"1000""#) == true)
        let peak = try Self.peakResidentBytes(pid: server.process.processIdentifier)
        print("[hardening-server] peak RSS \(peak >> 20) MiB")
        #expect(peak < 1 << 30, "the server held \(peak >> 20) MiB at its peak")
    }

    /// `{"op":"eval","code":"(define s \"xxx…\") (finish 1)"}` with 150 MB of x, written 1 MB at a
    /// time: holding it whole (text, JSON, bytes) would put ~450 MB on this test process's heap,
    /// which the memory limits of tests running beside this one measure.
    private static func sendHugeLiteralLine(to server: ServerConnection) throws {
        try server.sendPart(Data(#"{"op":"eval","code":"(define s \""#.utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1_000_000)
        for _ in 0..<150 { try server.sendPart(chunk) }
        try server.sendPart(Data(#"\") (finish 1)"}"#.utf8 + [0x0A]))
    }

    /// CPU seconds (user + system, all threads) the process has used (/proc/PID/stat).
    private static func cpuSeconds(pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name, which is in parentheses and may hold spaces.
        let afterName = try #require(stat.range(of: ") ", options: .backwards)).upperBound
        let fields = stat[afterName...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the whole line: 12th and 13th after the name.
        let ticks = try #require(Double(fields[11])) + (try #require(Double(fields[12])))
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The process's peak resident set (`VmHWM` in /proc/PID/status).
    private static func peakResidentBytes(pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kb = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""))
        return kb * 1024
    }
}
#endif
