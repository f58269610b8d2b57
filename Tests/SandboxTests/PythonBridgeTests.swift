import Foundation
import Testing
@testable import Sandbox

/// The Python bridge (reference §2.5, §2.4 context mirroring, §4.4 scope log, §4.5 inspect-state,
/// §4.10 messages). Skipped when no Python interpreter is available.

private let hasPython = PythonBridge.interpreterPath() != nil

/// `code`'s value written with `~s` (strings quoted), or the error message.
private func show(_ code: String, in session: SandboxSession) -> String {
    let r = session.eval("(finish (format \"~s\" \(code)))")
    if r.status == .error { return "ERROR: " + (r.error?.message ?? "") }
    return r.result
}

private func errorMessage(_ code: String, in session: SandboxSession) -> String {
    let r = session.eval(code)
    return r.status == .error ? (r.error?.message ?? "") : "NO ERROR: \(r.result)"
}

/// A Scheme string literal for `s`.
private func lit(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

@Suite("Python bridge", .enabled(if: hasPython))
struct PythonBridgeTests {
    @Test("py-exec returns captured stdout exactly")
    func execStdout() {
        let s = SandboxSession()
        #expect(show(#"(py-exec "print(1+1)")"#, in: s) == #""2\n""#)
        #expect(show(#"(py-exec "x = 42")"#, in: s) == #""""#)
        #expect(show(#"(py-exec "import sys\nprint('err', file=sys.stderr)\nprint('a', end='')")"#, in: s) == #""a""#)
    }

    @Test("the worker starts lazily; inspect-state reports it")
    func lazyStart() {
        let s = SandboxSession()
        #expect(!s.pythonAvailable)
        #expect(show(#"(py-eval "2+2")"#, in: s) == "4")
        #expect(s.pythonAvailable)
        let reply = SandboxProtocolHandler(session: s).handle(line: #"{"op":"inspect-state"}"#) ?? ""
        #expect(reply.contains(#""python_available":true"#))
    }

    @Test("py-eval conversions and renderings")
    func evalConversions() {
        let s = SandboxSession()
        #expect(show(#"(py-eval "2+2")"#, in: s) == "4")
        #expect(show(#"(py-eval "None")"#, in: s) == "null")
        #expect(show(#"(symbol? (py-eval "None"))"#, in: s) == "#t")
        #expect(show(#"(py-eval "True")"#, in: s) == "#t")
        #expect(show(#"(py-eval "False")"#, in: s) == "#f")
        #expect(show(#"(py-eval "1.0")"#, in: s) == "1.0")
        #expect(show(#"(py-eval "10**30")"#, in: s) == "1000000000000000000000000000000")
        #expect(show(#"(exact-integer? (py-eval "10**30"))"#, in: s) == "#t")
        #expect(show(#"(py-eval "(1,2)")"#, in: s) == "(1 2)")
        #expect(show(#"(py-eval "[1,[2,3]]")"#, in: s) == "(1 (2 3))")
        #expect(show(#"(py-eval "'héllo \"q\"'")"#, in: s) == #""héllo \"q\"""#)
        let r = s.eval(#"(finish (py-eval "{'b':1,'a':[1,2.5,None,True]}"))"#)
        #expect(r.result == "#hasheq((a . (1 2.5 null #t)) (b . 1))")
        #expect(show(#"(hash-ref (py-eval "{1: 2}") (string->symbol "1"))"#, in: s) == "2")
        #expect(s.eval(#"(finish (py-eval "{1,2}"))"#).result == "#hasheq((__ref__ . obj_0))")
        #expect(s.eval(#"(finish (py-eval "object()"))"#).result == "#hasheq((__ref__ . obj_1))")
    }

    @Test("non-finite floats give an error, not a broken protocol")
    func nonFinite() {
        let s = SandboxSession()
        #expect(errorMessage(#"(py-eval "float('inf')")"#, in: s).hasPrefix("py-eval: "))
        #expect(errorMessage(#"(py-eval "[float('nan')]")"#, in: s).hasPrefix("py-eval: "))
        #expect(show(#"(py-eval "1+1")"#, in: s) == "2")
    }

    @Test("py-set! round trips, including unicode, quotes and newlines")
    func setRoundTrips() {
        let s = SandboxSession()
        #expect(show(#"(py-set! "n" 42)"#, in: s) == "#<void>")
        #expect(show(#"(py-eval "n + 1")"#, in: s) == "43")
        let text = "naïve \"quoted\" \\ back\nslash 日本 🎉"
        #expect(s.eval("(py-set! \"t\" \(lit(text)))").status == .ok)
        #expect(s.eval(#"(finish (py-eval "t"))"#).result == text)
        #expect(show(#"(py-eval "len(t)")"#, in: s) == String(text.unicodeScalars.count))
        #expect(s.eval(#"(py-set! "xs" (list 1 "two" 3.5 #t #f))"#).status == .ok)
        #expect(show(#"(py-eval "repr(xs)")"#, in: s) == #""[1, 'two', 3.5, True, False]""#)
        #expect(s.eval(#"(py-set! "h" (hasheq 'a 1 'b (list 2 3)))"#).status == .ok)
        #expect(show(#"(py-eval "h['b'][1]")"#, in: s) == "3")
        #expect(s.eval(#"(py-set! "big" (expt 2 100))"#).status == .ok)
        #expect(show(#"(py-eval "big == 2**100")"#, in: s) == "#t")
        #expect(show(#"(py-exec "print(t)")"#, in: s) == show(lit(text + "\n"), in: s))
    }

    @Test("py-set! errors")
    func setErrors() {
        let s = SandboxSession()
        #expect(errorMessage(#"(py-set! "123bad" 1)"#, in: s) == "py-set!: Invalid variable name: 123bad")
        #expect(s.eval(#"(py-set! "h" (hash "a" 1))"#).status == .error)
    }

    @Test("refs and py-call")
    func refsAndCall() {
        let s = SandboxSession()
        #expect(s.eval(#"(py-exec "import json")"#).status == .ok)
        #expect(show(#"(py-call (py-eval "json") "dumps" (list 1 2 3))"#, in: s) == #""[1, 2, 3]""#)
        #expect(show(#"(py-call "obj_0" "dumps" "x")"#, in: s) == #""\"x\"""#)
        #expect(errorMessage(#"(py-call "obj_99" "dumps")"#, in: s) == "py-call: Unknown ref: obj_99")
        let log = s.scopeLog.filter { $0.op == "py-call" }
        #expect(log.first?.datumPreview == "#hasheq((__ref__ . obj_0)).dumps")
        let e = errorMessage(#"(py-call "obj_0" "nosuch")"#, in: s)
        #expect(e.hasPrefix("py-call: "))
        #expect(e.contains("AttributeError"))
    }

    @Test("Python errors carry the message and the traceback")
    func errors() {
        let s = SandboxSession()
        let z = errorMessage(#"(py-exec "1/0")"#, in: s)
        #expect(z.hasPrefix("py-exec: division by zero\nTraceback (most recent call last):"))
        #expect(z.contains("ZeroDivisionError"))
        #expect(z.hasSuffix("\n"))
        let n = errorMessage(#"(py-eval "undefined_x")"#, in: s)
        #expect(n.hasPrefix("py-eval: "))
        #expect(n.contains("NameError: name 'undefined_x' is not defined"))
        let m = errorMessage(#"(py-exec "import no_such_module_zz")"#, in: s)
        #expect(m.contains("No module named 'no_such_module_zz'"))
        #expect(errorMessage(#"(py-eval "x = 1")"#, in: s).contains("SyntaxError"))
        let f = errorMessage(#"(py-exec "def helper_fn():\n    raise ValueError('boom')\nhelper_fn()")"#, in: s)
        #expect(f.contains("in helper_fn") && f.contains("ValueError: boom"))
        // Errors are catchable and the worker survives them.
        #expect(s.eval(#"(finish (try (py-eval "1/0") on-error (lambda (e) "caught")))"#).result == "caught")
        #expect(show(#"(py-eval "3*3")"#, in: s) == "9")
    }

    @Test("globals persist across evaluations; reset clears them")
    func persistenceAndReset() {
        let s = SandboxSession()
        #expect(s.eval(#"(py-exec "counter = 10")"#).status == .ok)
        #expect(s.eval(#"(py-exec "counter += 1")"#).status == .ok)
        #expect(show(#"(py-eval "counter")"#, in: s) == "11")
        #expect(s.eval(#"(py-eval "object()")"#).status == .ok)
        let oldPid = s.pythonProcessIdentifier
        s.reset()
        #expect(!s.pythonAvailable)
        if let oldPid { #expect(kill(oldPid, 0) != 0) }
        #expect(errorMessage(#"(py-eval "counter")"#, in: s).contains("NameError"))
        #expect(s.eval(#"(finish (py-eval "object()"))"#).result == "#hasheq((__ref__ . obj_0))")
    }

    @Test("a worker killed from outside is replaced on the next call")
    func restartAfterKill() throws {
        let s = SandboxSession()
        #expect(s.eval(#"(py-exec "v = 1")"#).status == .ok)
        let pid = try #require(s.pythonProcessIdentifier)
        kill(pid, SIGKILL)
        usleep(100_000)
        #expect(show(#"(py-eval "1+1")"#, in: s) == "2")
        #expect(errorMessage(#"(py-eval "v")"#, in: s).contains("NameError"))
        #expect(s.pythonProcessIdentifier != pid)
        // A worker that exits during a call reports it, and the next call works.
        #expect(errorMessage(#"(py-exec "import os; os._exit(3)")"#, in: s).contains("Python subprocess died"))
        #expect(show(#"(py-eval "5")"#, in: s) == "5")
    }

    @Test("a call past python-seconds is stopped with a clear error")
    func timeout() {
        var limits = Limits()
        limits.pythonSeconds = 1
        let s = SandboxSession(limits: limits)
        #expect(s.eval(#"(py-exec "keep = 1")"#).status == .ok)
        let start = Date()
        let e = errorMessage(#"(py-exec "import time; time.sleep(5)")"#, in: s)
        #expect(e.hasPrefix("py-exec: timed out after 1 s (limit python-seconds)"))
        #expect(Date().timeIntervalSince(start) < 4)
        #expect(s.eval("(finish (+ 1 2))").result == "3")
        #expect(show(#"(py-eval "7")"#, in: s) == "7")
    }

    @Test("load-context is mirrored into Python's context")
    func contextMirror() {
        let s = SandboxSession()
        #expect(s.eval(#"(py-eval "1")"#).status == .ok)
        #expect(s.eval(#"(load-context "abc")"#).status == .ok)
        #expect(show(#"(py-eval "len(context)")"#, in: s) == "3")
        _ = s.loadContext("héllo wörld", name: "doc")
        #expect(show(#"(py-eval "context")"#, in: s) == #""héllo wörld""#)
        s.reset()
        #expect(show(#"(py-eval "context")"#, in: s) == #""""#)
    }

    @Test("scope log entries for py-* (§4.4)")
    func scopeLog() {
        let s = SandboxSession()
        _ = s.eval(#"(py-exec "1/0")"#)
        _ = s.eval(#"(py-eval "2+2")"#)
        _ = s.eval(#"(py-set! "name" "0123456789012345678901234567890123456789ABCDEF")"#)
        let log = s.scopeLog.filter { $0.op.hasPrefix("py-") }
        #expect(log.map(\.op) == ["py-exec", "py-eval", "py-set!"])
        #expect(log.map(\.scope) == ["sandbox", "sandbox", "sandbox"])
        #expect(log[0].datumPreview == "1/0")
        #expect(log[2].datumPreview == "name = 0123456789012345678901234567890123456789")
    }
}
