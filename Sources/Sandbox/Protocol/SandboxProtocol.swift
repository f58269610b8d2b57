/// The JSON-lines sandbox protocol of the original `racket_server.rkt` (reference §4.5, §4.9).
///
/// One command line in, one reply line out, strictly in order. The handler owns no I/O: a front
/// end (`rlm-plan sandbox-server`) reads lines, passes each to `handle(line:)` and writes the reply
/// followed by `\n`, or lets `serve(input:output:)` do so. Every failure is an error *reply*, never a
/// thrown error or a crash, so the next command is always answered. In callback mode (a session
/// made with a `CallbackChannel`) an `eval` may first write callback lines and read their replies
/// (reference §4.8).
///
/// ```swift
/// let handler = SandboxProtocolHandler(session: SandboxSession())
/// handler.handle(line: #"{"op":"eval","code":"(finish (+ 1 2))"}"#)
/// // {"status":"finished","result":"3","stdout":""}
/// ```
public final class SandboxProtocolHandler {
    /// The sandbox every command acts on; its state persists across commands until `reset`.
    public let session: SandboxSession

    public init(session: SandboxSession) {
        self.session = session
    }

    /// Answers one command line; nil for a blank line (which gets no reply).
    ///
    /// Surrounding whitespace is trimmed. The reply is one line of JSON without the newline.
    public func handle(line: String) -> String? {
        let text = Self.trimmed(line)
        if text.isEmpty { return nil }
        return reply(to: text).serialized()
    }

    /// Answers commands from `input` until it ends, writing each reply to `output`.
    ///
    /// In callback mode give the session's `CallbackChannel` the same `input`: a callback reply
    /// is simply the next line, so commands and replies must come from one buffered reader
    /// (reference §4.9).
    ///
    /// - Throws: whatever `output` throws when a reply cannot be written.
    public func serve(input: any ProtocolLineSource, output: any ProtocolLineSink) throws {
        while let line = input.nextLine() {
            guard let reply = handle(line: line) else { continue }
            try output.write(line: reply)
        }
    }

    /// The reply object for one non-blank command line.
    func reply(to text: Substring) -> JSONValue {
        let command: JSONValue
        do {
            command = try JSONValue.parse(String(text))
        } catch let e as JSONError {
            return ProtocolReply.error(e.message)
        } catch {
            return ProtocolReply.error("\(error)")
        }
        guard case .object = command else {
            // Racket's server does `(hash-ref cmd 'op)` on whatever it read (reference §4.9).
            return ProtocolReply.error(SchemeError.contract("hash-ref", expected: "hash?", given: command.toScheme()).message)
        }
        if let shown = Self.nonStringOp(command["op"]) {
            // The original answers `unknown op: <value>`; the note says what was wrong.
            return ProtocolReply.error("unknown op: \(shown) (op must be a string)")
        }
        let name = Self.opName(command["op"])
        guard let op = ProtocolOp(rawValue: name) else {
            return ProtocolReply.error("unknown op: \(name)")
        }
        switch op {
        case .eval: return eval(command)
        case .loadContext: return loadContext(command)
        case .getScopeLog: return getScopeLog()
        case .getVariables: return .object([("status", .string("ok")), ("result", .string(variablesJSON().serialized()))])
        case .inspectState: return inspectState()
        case .reset:
            session.reset()
            return ProtocolReply.ok("sandbox reset")
        }
    }

    // MARK: - Ops

    /// `eval`: runs `code` (missing or null → `""`) under the sandbox rules (reference §4.1).
    private func eval(_ command: JSONValue) -> JSONValue {
        let code: String
        switch command["code"] {
        case nil, .null?: code = ""
        case .string(let s)?: code = s
        case let other?: return ProtocolReply.notAString("eval", other)
        }
        return ProtocolReply.eval(session.eval(code))
    }

    /// `load-context`: sets `context` (and `context-store` under `name`); `meta.bytes` counts code
    /// points (reference §4.9).
    private func loadContext(_ command: JSONValue) -> JSONValue {
        let data: String
        switch command["data"] {
        case nil, .null?: data = ""
        case .string(let s)?: data = s
        case let other?: return ProtocolReply.notAString("load-context", other)
        }
        let name: String?
        switch command["name"] {
        case nil, .null?: name = nil
        case .string(let s)?: name = s
        case let other?: return ProtocolReply.notAString("load-context", other)
        }
        let confirmation = session.loadContext(data, name: name)
        return .object([
            ("status", .string("ok")),
            ("result", .string(confirmation)),
            ("meta", .object([("bytes", .int(data.unicodeScalars.count)), ("type", .string("string"))])),
        ])
    }

    /// `get-scope-log`: the audit trail as a JSON *string* of `{op, datum_preview, scope}` objects.
    private func getScopeLog() -> JSONValue {
        let entries: [JSONValue] = session.scopeLog.map { entry in
            .object([
                ("op", .string(entry.op)),
                ("datum_preview", .string(entry.datumPreview)),
                ("scope", .string(entry.scope)),
            ])
        }
        return ProtocolReply.ok(JSONValue.array(entries).serialized())
    }

    /// `inspect-state`: the user variables as a real array, and whether the Python worker is alive.
    private func inspectState() -> JSONValue {
        .object([
            ("status", .string("ok")),
            ("variables", variablesJSON()),
            ("python_available", .bool(session.pythonAvailable)),
        ])
    }

    private func variablesJSON() -> JSONValue {
        .array(session.userVariables().map { .string($0) })
    }

    // MARK: - Helpers

    /// The command's `op` as text: a missing op is the empty name (reference §4.9); a non-string
    /// op is shown as its JSON text, so the error names what was sent.
    static func opName(_ op: JSONValue?) -> String {
        switch op {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case let other?: return other.serialized()
        }
    }

    /// A present, non-null, non-string `op` as shown in the error (its JSON text; a number JSON
    /// cannot hold, such as `1e999999`, is named as such); nil for a string, null or no op.
    static func nonStringOp(_ op: JSONValue?) -> String? {
        switch op {
        case nil, .null?, .string?: return nil
        case .double(let d)? where !d.isFinite: return "a number out of range"
        case let other?: return other.serialized()
        }
    }

    /// `line` without surrounding whitespace (Unicode whitespace, including `\r` from CRLF input).
    static func trimmed(_ line: String) -> Substring {
        var s = Substring(line)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}

/// The commands of reference §4.5, by wire name.
enum ProtocolOp: String {
    case eval
    case loadContext = "load-context"
    case getScopeLog = "get-scope-log"
    case getVariables = "get-variables"
    case inspectState = "inspect-state"
    case reset
}
