/// Where protocol lines come from: commands, and in callback mode the host's replies too.
///
/// One source serves both, so a reply the host wrote right behind a command, in the same read,
/// is never lost in a second buffer (reference §4.9).
public protocol ProtocolLineSource: AnyObject {
    /// The next line without its `\n`; nil at end of input.
    func nextLine() -> String?
}

/// Where protocol lines go: command replies and callback lines.
public protocol ProtocolLineSink: AnyObject {
    /// Writes `line` followed by `\n`, flushed at once; throws when the reader has gone.
    func write(line: String) throws
}

/// The stdio link of callback mode, in which the host process owns model calls (reference §1,
/// §4.8): the sandbox writes one JSON callback line and, for blocking operations, reads exactly
/// one reply line from the same input the commands come from.
///
/// ```swift
/// let channel = CallbackChannel(input: stdio, output: stdio)
/// let handler = SandboxProtocolHandler(session: SandboxSession(callbacks: channel))
/// try handler.serve(input: stdio, output: stdio)
/// ```
///
/// The channel is used by one thread at a time: the command loop, or the session's VM thread
/// while the loop waits for the `eval` it handed over.
public final class CallbackChannel: @unchecked Sendable {
    let input: any ProtocolLineSource
    let output: any ProtocolLineSink
    /// The next `pending_N` number: per process, from 0, never reset by `reset` (§2.1).
    private var nextHandle = 0
    /// Seconds spent waiting for the host's replies, in all: the host's time is not the
    /// evaluation's, so it extends the wall-clock limit (the original has only an idle timeout).
    public private(set) var waitedSeconds: Double = 0

    /// A channel writing callbacks to `output` and reading replies from `input`, which must be
    /// the source the commands come from.
    public init(input: any ProtocolLineSource, output: any ProtocolLineSink) {
        self.input = input
        self.output = output
    }

    /// A fresh async handle id, `pending_N`.
    func makeHandleID() -> String {
        defer { nextHandle += 1 }
        return "pending_\(nextHandle)"
    }

    /// Writes the callback `{"op":op, fields…}`; no reply is read (`llm-query-async`).
    ///
    /// - Throws: `<op>: MCP server closed connection` when the host no longer reads.
    func notify(_ op: String, _ fields: [(String, JSONValue)] = []) throws {
        do {
            try output.write(line: JSONValue.object([("op", .string(op))] + fields).serialized())
        } catch {
            throw Self.closed(op)
        }
    }

    /// Writes the callback and returns the next input line, whatever it is (§4.9: replies are
    /// positional; `heartbeat` ignores its reply).
    func exchangeLine(_ op: String, _ fields: [(String, JSONValue)] = []) throws -> String {
        try notify(op, fields)
        let started = MonotonicClock.seconds()
        defer { waitedSeconds += MonotonicClock.seconds() - started }
        guard let line = input.nextLine() else { throw Self.closed(op) }
        return line
    }

    /// Writes the callback and returns the host's reply object.
    ///
    /// A reply with an `error` field is raised as `<op>: <error>` (the §10.3 fix: the reply is
    /// always read, so the session stays in step); a line that is not a JSON object is an error
    /// naming what arrived.
    func exchange(_ op: String, _ fields: [(String, JSONValue)] = []) throws -> CallbackReply {
        let line = try exchangeLine(op, fields)
        let reply: JSONValue
        do {
            reply = try JSONValue.parse(line)
        } catch {
            throw SchemeError(.llm, "\(op): the host's reply is not JSON: \(String(line.prefix(200)))")
        }
        guard case .object = reply else {
            throw SchemeError(.llm, "\(op): the host's reply is not a JSON object: \(String(line.prefix(200)))")
        }
        if let error = reply["error"], error != .null {
            throw SchemeError(.llm, "\(op): \(CallbackReply.display(error))")
        }
        return CallbackReply(object: reply)
    }

    static func closed(_ op: String) -> SchemeError {
        SchemeError(.llm, "\(op): MCP server closed connection")
    }
}

/// A host reply read with the defaults of reference §4.8: a missing `result` is `""`, missing
/// token counts are 0, missing lists are empty.
struct CallbackReply {
    let object: JSONValue

    subscript(key: String) -> JSONValue? { object[key] }

    /// A text field: the string itself, `""` when absent or null, else its `~a` rendering.
    func text(_ key: String) -> String {
        guard let v = object[key] else { return "" }
        return Self.display(v)
    }

    /// A count field: 0 when absent or not a number.
    func count(_ key: String) -> Int {
        switch object[key] {
        case .int(let i)?: return i
        case .double(let d)? where d.isFinite && d.magnitude < 9.0e18: return Int(d)
        default: return 0
        }
    }

    /// A list field: empty when absent or not an array.
    func list(_ key: String) -> [JSONValue] {
        if case .array(let items)? = object[key] { return items }
        return []
    }

    /// `result`, `prompt_tokens`, `completion_tokens` of one model reply.
    var modelResult: (text: String, prompt: Int, completion: Int) {
        (text("result"), count("prompt_tokens"), count("completion_tokens"))
    }

    /// A JSON value as `~a` shows it: strings raw, null as "".
    static func display(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .null: return ""
        default: return Printer.display(v.toScheme())
        }
    }
}
