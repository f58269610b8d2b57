#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestSupport
import Testing

/// The `rlm-plan` binary, run as a subprocess (style §6, §8): whole help screens, exit statuses,
/// `eval` from each source, the REPL and the sandbox server over real pipes.

// MARK: - Running the binary

/// What one run of the binary produced.
private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

private enum CLI {
    static let binary: URL? = BuiltBinary.url

    /// Environment with a fixed terminal width, so help text wraps the same everywhere.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "80"
        return env
    }

    /// Runs the binary with `arguments`, feeding `input` (nil: no standard input at all) and
    /// waiting at most `timeout` seconds.
    static func run(_ arguments: [String], input: String? = nil, timeout: Double = 60) throws -> Run {
        try run(arguments, inputBytes: input.map { Array($0.utf8) }, timeout: timeout)
    }

    static func run(_ arguments: [String], inputBytes: [UInt8]?, timeout: Double = 60) throws -> Run {
        let binary = try #require(CLI.binary, "rlm-plan is not built; run `swift build` first")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("rlm-plan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        let inURL = dir.appendingPathComponent("in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let inputBytes {
            _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(inputBytes))
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("rlm-plan \(arguments) did not exit within \(timeout) s")
        }
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// A running `rlm-plan sandbox-server` talked to over pipes, one line at a time.
final class ServerConnection {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered: [UInt8] = []

    init(_ extraArguments: [String] = []) throws {
        let binary = try #require(CLI.binary, "rlm-plan is not built; run `swift build` first")
        process.executableURL = binary
        process.arguments = ["sandbox-server"] + extraArguments
        process.environment = CLI.environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func send(_ line: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Writes `bytes` without a newline (a long line sent in pieces).
    func sendPart(_ bytes: Data) throws {
        try input.fileHandleForWriting.write(contentsOf: bytes)
    }

    /// Closes the server's standard input (end of commands).
    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    /// The next reply line, or nil if none arrives within `timeout` seconds (or at end of output).
    func readLine(timeout: Double = 30) -> String? {
        let fd = output.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(timeout)
        // Only bytes not searched yet are searched, so a multi-megabyte reply is read in linear time.
        var searched = 0
        while true {
            if let newline = buffered[searched...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeFirst(newline + 1)
                return line
            }
            searched = buffered.count
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return nil }
            buffered += chunk[..<n]
        }
    }

    /// Waits for the process to end; its exit status, or nil if it is still running after `timeout`.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }
}

// MARK: - Help and version

@Suite("CLI: help, version, usage errors")
struct CLIHelpTests {
    @Test("the root help screen, verbatim")
    func rootHelp() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == """
            OVERVIEW: Run, simulate and plan LLM orchestration programs written in Scheme.

            USAGE: rlm-plan <subcommand>

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            SUBCOMMANDS:
              eval                    Run a Scheme program in a fresh sandbox.
              run                     Run a Scheme strategy against the configured model
                                      provider.
              simulate                Estimate a strategy's tokens, dollars and latency
                                      without calling any model.
              calibrate               Fit the simulator's model profiles to the calls real
                                      runs recorded.
              models                  List the models the registry knows: prices, limits,
                                      latency profile, aliases.
              repl                    Evaluate Scheme interactively in one persistent
                                      sandbox.
              sandbox-server          Serve the JSON-lines sandbox protocol on standard
                                      input and output.
              mock-server             Serve a deterministic OpenAI-compatible echo model on
                                      127.0.0.1.
              suggest                 Plan a task: ranked strategies whose code runs and
                                      whose estimates are simulated.
              clarify                 Say what a task description leaves open that would
                                      change the plan, as questions.
              finalize                Plan a task with the answers to clarify's questions
                                      folded in.
              patterns                List the strategy patterns, or show one.
              mcp                     Serve the planning, simulation and sandbox tools over
                                      MCP (stdio).

              See 'rlm-plan help <subcommand>' for detailed help.

            """)
    }

    @Test("the eval help screen, verbatim, with exit statuses and limits")
    func evalHelp() throws {
        let r = try CLI.run(["eval", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout == """
            OVERVIEW: Run a Scheme program in a fresh sandbox.

            Prints what the program displayed, then the value given to `finish` on a line
            of its own. Errors go to standard error as `source:line:column: message`, where
            the source is FILE, `string` for -e and `stdin` for `-`.

            Exit status:
              0   the program ran (status ok or finished)
              1   Scheme error: read, syntax, runtime or resource limit
              64  usage error: bad option value, no program, or FILE unreadable

            USAGE: rlm-plan eval [<limits>] [--json] (<FILE> | - | -e <CODE>)

            ARGUMENTS:
              <FILE>                  The program to run; `-` reads standard input.

            MODELS:
              --model <M>             Model for calls whose #:model is "" (default:
                                      $RLM_SUB_MODEL, else gpt-4o).
              --max-concurrent <N>    Model calls in flight at once across the whole run.
                                      (default: 64)
              --cache                 Serve deterministic calls (temperature 0 or unset)
                                      from the store's response cache and fill it.
              --store <FILE>          The workspace database (default: $RLM_STORE, else
                                      .rlm/state.sqlite).
              --models <FILE>         Models file: prices, limits, latency, rate limits,
                                      aliases (default: $RLM_MODELS, else $RLM_MODELS_FILE).
              --tier <T>              The account's usage tier for rate limits (tier-1 …
                                      tier-5; default: $RLM_TIER).
              --rpm <N>               Requests per minute for every model (default:
                                      $RLM_RPM).
              --tpm <N>               Tokens per minute for every model (default: $RLM_TPM).

            LIMITS:
              --fuel <N>              VM steps one evaluation may take. (default:
                                      2000000000)
              --cpu-seconds <S>       Seconds of computing one evaluation may use.
                                      (default: 8.0)
              --wall-seconds <S>      Seconds one evaluation may take in all, waiting for
                                      models included (default: 300; for run: 86400).
              --memory-mb <N>         Megabytes of heap growth one evaluation may use.
                                      (default: 256)
              --output-bytes <N>      Bytes one evaluation may print. (default: 4194304)
              --print-depth <N>       Nesting depth of data the printer renders and of code
                                      the compiler accepts. (default: 10000)
              --seed <N>              Seed for `random`, so runs repeat exactly (default: a
                                      fresh seed).

            OPTIONS:
              -e, --expression <CODE> Run CODE instead of a file.
              --json                  Print one JSON object: {status, result, stdout}, or
                                      {status, message, position} on error.
              --version               Show the version.
              -h, --help              Show help information.


            """)
    }

    @Test("repl and sandbox-server help document their exit statuses")
    func otherHelp() throws {
        let repl = try CLI.run(["repl", "--help"])
        #expect(repl.status == 0)
        #expect(repl.stdout.hasPrefix("OVERVIEW: Evaluate Scheme interactively in one persistent sandbox.\n"))
        #expect(repl.stdout.contains("  0   end of input or (exit), even after Scheme errors\n"))
        #expect(repl.stdout.contains("USAGE: rlm-plan repl [<limits>]\n"))
        let server = try CLI.run(["help", "sandbox-server"])
        #expect(server.status == 0)
        #expect(server.stdout.hasPrefix("OVERVIEW: Serve the JSON-lines sandbox protocol on standard input and output.\n"))
        #expect(server.stdout.contains("  1   standard output could not be written\n"))
        #expect(server.stdout.contains("  --seed <N>"))
    }

    @Test("--version prints the version")
    func version() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == "0.1.0\n")
    }

    @Test("usage errors exit 64 with a message on stderr and nothing on stdout",
          arguments: [
              ["eval"],
              ["eval", "-e", "(finish 1)", "also-a-file.scm"],
              ["eval", "/no/such/file.scm"],
              ["eval", "/"],
              ["eval", "--fuel", "0", "-e", "1"],
              ["eval", "--fuel", "many", "-e", "1"],
              ["eval", "--cpu-seconds", "-1", "-e", "1"],
              ["eval", "--cpu-seconds", "nan", "-e", "1"],
              ["eval", "--memory-mb", "0", "-e", "1"],
              ["eval", "--print-depth", "0", "-e", "1"],
              ["repl", "--output-bytes", "0"],
              ["sandbox-server", "--seed", "-3"],
              ["sandbox-server", "--no-such-flag"],
              ["no-such-command"],
          ])
    func usageErrors(arguments: [String]) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 64)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("Error: "))
    }

    @Test("the usage error messages say what to do")
    func usageMessages() throws {
        #expect(try CLI.run(["eval"]).stderr.hasPrefix("Error: Give a FILE, `-` for standard input, or -e CODE.\n"))
        #expect(try CLI.run(["eval", "--fuel", "0", "-e", "1"]).stderr
                .hasPrefix("Error: --fuel must be a positive whole number, not 0.\n"))
        #expect(try CLI.run(["eval", "/no/such/file.scm"]).stderr.hasPrefix("Error: No such file: /no/such/file.scm\n"))
    }
}

// MARK: - eval

@Suite("CLI: eval")
struct CLIEvalTests {
    @Test("eval -e prints the finish value and a newline, exit 0")
    func expression() throws {
        let r = try CLI.run(["eval", "-e", #"(finish (string-join (list (~a (* 1 1)) (~a (* 2 2)) (~a (* 3 3))) ","))"#])
        #expect(r.status == 0)
        #expect(r.stdout == "1,4,9\n")
        #expect(r.stderr == "")
    }

    @Test("captured output comes first, as is; no finish means no result line")
    func outputThenResult() throws {
        let r = try CLI.run(["eval", "-e", #"(display "hi") (finish (list 1 "a"))"#])
        #expect(r.stdout == "hi(1 a)\n")
        let ok = try CLI.run(["eval", "-e", #"(display "only output") (define x 1)"#])
        #expect(ok.status == 0)
        #expect(ok.stdout == "only output")
    }

    @Test("a Scheme error goes to stderr as string:line:col: message, exit 1, after what was printed")
    func expressionError() throws {
        let r = try CLI.run(["eval", "-e", #"(display "kept") (car 5)"#])
        #expect(r.status == 1)
        #expect(r.stdout == "kept")
        #expect(r.stderr == "string:1:17: car: contract violation\n  expected: pair?\n  given: 5\n")
    }

    @Test("eval FILE runs the file; errors name the file and line")
    func file() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlm-plan-\(UUID().uuidString).scm")
        defer { try? FileManager.default.removeItem(at: url) }
        try "(define (sq x) (* x x))\n(display \"é\")\n(finish (sq 12))\n".write(to: url, atomically: true, encoding: .utf8)
        let r = try CLI.run(["eval", url.path])
        #expect(r.status == 0)
        #expect(r.stdout == "é144\n")

        try "(define x 1)\n\n  (vector-ref (vector) x)\n".write(to: url, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["eval", url.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("\(url.path):3:"))
        #expect(bad.stderr.contains("vector-ref"))
    }

    @Test("eval - reads the program from standard input; errors say stdin")
    func standardInput() throws {
        let r = try CLI.run(["eval", "-"], input: "(define n 6)\n(finish (* n 7))\n")
        #expect(r.status == 0)
        #expect(r.stdout == "42\n")
        let bad = try CLI.run(["eval", "-"], input: "(display \"x\")\n(car")
        #expect(bad.status == 1)
        #expect(bad.stderr == "stdin:2:0: read: expected a `)` to close `(`\n")
    }

    @Test("eval - survives invalid UTF-8")
    func invalidUTF8() throws {
        let r = try CLI.run(["eval", "-"], inputBytes: Array("(finish \"a".utf8) + [0xFF] + Array("b\")".utf8))
        #expect(r.status == 0)
        #expect(r.stdout == "a\u{FFFD}b\n")
    }

    @Test("--json prints one object for success and for errors, exit status unchanged")
    func json() throws {
        let ok = try CLI.run(["eval", "--json", "-e", #"(display "é\n") (finish "👋")"#])
        #expect(ok.status == 0)
        #expect(ok.stdout == #"{"status":"finished","result":"👋","stdout":"é\n"}"# + "\n")
        let plain = try CLI.run(["eval", "--json", "-e", "(define x 1)"])
        #expect(plain.stdout == #"{"status":"ok","result":"","stdout":""}"# + "\n")
        let bad = try CLI.run(["eval", "--json", "-e", "(car 5)"])
        #expect(bad.status == 1)
        #expect(bad.stderr == "")
        #expect(bad.stdout == #"{"status":"error","message":"car: contract violation\n  expected: pair?\n  given: 5","position":{"source":"string","line":1,"column":0},"stdout":""}"# + "\n")
    }

    @Test("limit options reach the sandbox")
    func limits() throws {
        let r = try CLI.run(["eval", "--fuel", "10000", "-e", "(let loop ([i 0]) (loop (+ i 1)))"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("out of fuel"))
        #expect(r.stderr.contains("10000"))
        let seeded = try CLI.run(["eval", "--seed", "7", "-e", "(finish (random 1000000))"])
        #expect(seeded.status == 0)
        #expect(try CLI.run(["eval", "--seed", "7", "-e", "(finish (random 1000000))"]).stdout == seeded.stdout)
    }
}

// MARK: - repl

@Suite("CLI: repl")
struct CLIReplTests {
    @Test("multi-line inputs run when balanced; state persists; errors go to stderr and the session goes on")
    func session() throws {
        let script = [
            "(define (sq x)",
            "  ; a comment with ) in it",
            "  (* x x))",
            "",
            #"(display "a)(") (finish (sq 7))"#,
            "(car 1)",
            #"(finish "two"#,
            #"lines")"#,
            "#| block",
            " |# (finish #\\()",
            "(finish (sq 3))",
            "(let ([s \"#| not a comment (\"] ; [",
            "      [c #\\)])",
            "  (finish (string-append s (string c))))",
            "(finish (quote #(1 [2",
            "  3] |a (b|)))",
            "(exit)",
            "(finish 99)",
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["repl"], input: script)
        #expect(r.status == 0)
        #expect(r.stdout == "a)(\n49\ntwo\nlines\n(\n9\n#| not a comment ()\n#(1 (2 3) a (b)\n")
        #expect(r.stderr == "repl:1:0: car: contract violation\n  expected: pair?\n  given: 1\n")
    }

    @Test("the value of an expression is shown in print style; definitions and void show nothing")
    func expressionValues() throws {
        let r = try CLI.run(["repl"], input: "(define x 3)\n(+ x 4)\n(list 'a \"b\")\n(void)\n(display \"hi\")\n")
        #expect(r.status == 0)
        #expect(r.stdout == "7\n'(a \"b\")\nhi\n")
    }

    @Test("end of input inside an open form reports the reader error and exits 0")
    func unfinishedAtEOF() throws {
        let r = try CLI.run(["repl"], input: "(define x 3)\n(finish x)\n(finish (+ x")
        #expect(r.status == 0)
        #expect(r.stdout == "3\n")
        #expect(r.stderr == "repl:1:8: read: expected a `)` to close `(`\n")
    }

    @Test("no prompts when standard input is not a terminal")
    func noPrompts() throws {
        let r = try CLI.run(["repl"], input: "")
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(r.stderr == "")
    }
}

// MARK: - sandbox-server

@Suite("CLI: sandbox-server")
struct CLIServerTests {
    @Test("the acceptance line: fib 20 over a pipe replies one finished line with 6765")
    func acceptance() throws {
        let line = #"{"op":"eval","code":"(define (f n) (if (< n 2) n (+ (f (- n 1)) (f (- n 2)))))\n(finish (f 20))"}"#
        let r = try CLI.run(["sandbox-server"], input: line + "\n")
        #expect(r.status == 0)
        #expect(r.stdout == #"{"status":"finished","result":"6765","stdout":""}"# + "\n")
        #expect(r.stderr == "")
    }

    @Test("one reply per non-blank line, nothing else on stdout")
    func oneReplyPerLine() throws {
        let input = [
            "", #"{"op":"eval","code":"(define a 1)"}"#, "   ", "not json", "[1]", "{}",
            #"{"op":"get-variables"}"#, "\t", #"{"op":"reset"}"#,
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["sandbox-server"], input: input)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 7)
        #expect(lines.last == "")
        #expect(lines[0] == #"{"status":"ok","result":"","stdout":""}"#)
        #expect(lines[3] == #"{"status":"error","message":"unknown op: "}"#)
        #expect(lines[4] == #"{"status":"ok","result":"[\"a\"]"}"#)
        #expect(lines[5] == #"{"status":"ok","result":"sandbox reset"}"#)
    }

    @Test("a last line without a newline is still answered")
    func lastLineWithoutNewline() throws {
        let r = try CLI.run(["sandbox-server"], input: #"{"op":"eval","code":"(finish 5)"}"#)
        #expect(r.stdout == #"{"status":"finished","result":"5","stdout":""}"# + "\n")
    }

    @Test("invalid UTF-8 bytes get an ordinary reply and the server goes on")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array(#"{"op":"eval","code":""#.utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8)
            + [0xC3, 0x28, 0x0A] + Array(#"{"op":"eval","code":"(finish 1)"}"#.utf8) + [0x0A]
        let r = try CLI.run(["sandbox-server"], inputBytes: bytes)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix(#"{"status":"error","message":""#))
        #expect(lines[1].hasPrefix(#"{"status":"error","message":"string::1: string->jsexpr"#))
        #expect(lines[2] == #"{"status":"finished","result":"1","stdout":""}"#)
    }

    @Test("replies are flushed line by line while stdin stays open, and EOF ends the server with 0")
    func interactivePipes() throws {
        let server = try ServerConnection()
        try server.send(#"{"op":"eval","code":"(define (f n) (if (< n 2) n (+ (f (- n 1)) (f (- n 2)))))\n(finish (f 20))"}"#)
        #expect(server.readLine() == #"{"status":"finished","result":"6765","stdout":""}"#)
        try server.send(#"{"op":"eval","code":"(finish (f 10))"}"#)
        #expect(server.readLine() == #"{"status":"finished","result":"55","stdout":""}"#)
        try server.send(#"{"op":"load-context","data":"👋"}"#)
        #expect(server.readLine() == #"{"status":"ok","result":"context loaded","meta":{"bytes":1,"type":"string"}}"#)
        try server.closeInput()
        #expect(server.readLine(timeout: 10) == nil)
        #expect(server.waitForExit() == 0)
    }

    @Test("an infinite loop under a CPU limit replies with an error in time; the next command is answered")
    func infiniteLoop() throws {
        let server = try ServerConnection(["--cpu-seconds", "0.5"])
        let start = Date()
        try server.send(#"{"op":"eval","code":"(let loop ([i 0]) (loop (+ i 1)))"}"#)
        let reply = server.readLine(timeout: 30) ?? ""
        #expect(Date().timeIntervalSince(start) < 15)
        #expect(reply.hasPrefix(#"{"status":"error","message":"time limit"#))
        try server.send(#"{"op":"eval","code":"(finish 'next)"}"#)
        #expect(server.readLine() == #"{"status":"finished","result":"next","stdout":""}"#)
        try server.closeInput()
        #expect(server.waitForExit() == 0)
    }

    @Test("an infinite loop under a fuel limit replies with an out-of-fuel error")
    func infiniteLoopFuel() throws {
        let input = #"{"op":"eval","code":"(let loop ([i 0]) (loop (+ i 1)))"}"# + "\n" + #"{"op":"inspect-state"}"# + "\n"
        let r = try CLI.run(["sandbox-server", "--fuel", "50000"], input: input)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("out of fuel") == true)
        #expect(lines.last == #"{"status":"ok","variables":[],"python_available":false}"#)
    }

    @Test("empty input: no output, exit 0 at once")
    func emptyInput() throws {
        let start = Date()
        let r = try CLI.run(["sandbox-server"], input: "")
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(Date().timeIntervalSince(start) < 10)
    }
}
