/// Reads Scheme source text into data (reference §4.1 item 1).
///
/// The reader is iterative (an explicit stack of open lists), so input nested 100,000 deep reads
/// without touching the Swift stack. Positions of list data are kept in `sourceMap` for the
/// compiler's line table and error messages.
public struct Reader {
    private var lexer: Lexer
    let sourceName: String?
    /// Where each list datum started, by pair identity.
    private(set) var sourceMap = SourceMap()
    /// The evaluation the reading is charged to: fuel per token and memory for what the tokens
    /// become (a 150 MB string literal is 600 MB of code points), so reading answers to the limits.
    var meter: Runtime?

    public init(_ text: String, sourceName: String? = nil) {
        self.lexer = Lexer(Array(text.unicodeScalars), sourceName: sourceName)
        self.sourceName = sourceName
    }

    init(scalars: [Unicode.Scalar], start: Int, sourceName: String?) {
        self.lexer = Lexer(scalars, sourceName: sourceName)
        self.lexer.index = start
        self.sourceName = sourceName
    }

    /// Reads every datum; a syntax error anywhere throws (nothing is returned).
    public mutating func readAll() throws -> [Value] {
        var out: [Value] = []
        while let v = try read() { out.append(v) }
        return out
    }

    /// Reads the next datum from a string port, advancing it; `eof` at end of input.
    static func readOne(from port: InputPort) throws -> Value {
        var r = Reader(scalars: port.scalars, start: port.position, sourceName: "string")
        let v = try r.read()
        port.position = r.lexer.index
        return v ?? .object(EofObject.shared)
    }

    /// An open container while reading.
    private struct Open {
        enum Kind { case list(close: Unicode.Scalar), vector, hash(HashKind), prefix(Symbol), discard, box }
        var kind: Kind
        var items: [Value] = []
        var dottedTail: Value? = nil
        var sawDot = false
        var position: SourcePosition
        var opener: Unicode.Scalar
    }

    /// Reads one datum; nil at end of input.
    mutating func read() throws -> Value? {
        var stack: [Open] = []
        while true {
            let start = lexer.index
            let token = try lexer.next()
            if let meter {
                // About 4 bytes per code point read plus a pair per datum; a step per 8 code points.
                let consumed = lexer.index - start
                try meter.burn(1 + consumed / 8, allocating: consumed &* 4 &+ 48)
            }
            var produced: Value
            switch token.kind {
            case .eof:
                if let top = stack.last {
                    switch top.kind {
                    case .list(let close):
                        throw SchemeError.read("expected a `\(close)` to close `\(top.opener)`", at: top.position)
                    case .vector, .hash:
                        throw SchemeError.read("expected a `)` to close `#(`", at: top.position)
                    case .prefix, .box:
                        throw SchemeError.read("expected an element for quoting \"\(top.opener)\", found end-of-file", at: top.position)
                    case .discard:
                        throw SchemeError.read("expected a datum after `#;`", at: top.position)
                    }
                }
                return nil
            case .open(let open, let close):
                stack.append(Open(kind: .list(close: close), position: token.position, opener: open))
                continue
            case .openVector:
                stack.append(Open(kind: .vector, position: token.position, opener: "("))
                continue
            case .openHash(let kind):
                stack.append(Open(kind: .hash(kind), position: token.position, opener: "("))
                continue
            case .prefix(let name, let text):
                stack.append(Open(kind: .prefix(Symbol.intern(name)), position: token.position, opener: text))
                continue
            case .box:
                stack.append(Open(kind: .box, position: token.position, opener: "&"))
                continue
            case .datumComment:
                stack.append(Open(kind: .discard, position: token.position, opener: ";"))
                continue
            case .dot:
                guard var top = stack.last, case .list = top.kind, !top.items.isEmpty, !top.sawDot else {
                    throw SchemeError.read("illegal use of `.`", at: token.position)
                }
                top.sawDot = true
                stack[stack.count - 1] = top
                continue
            case .close(let ch):
                guard let top = stack.popLast() else {
                    throw SchemeError.read("unexpected `\(ch)`", at: token.position)
                }
                switch top.kind {
                case .list(let expected):
                    guard ch == expected else {
                        throw SchemeError.read("expected `\(expected)` to close preceding `\(top.opener)`, found instead `\(ch)`", at: token.position)
                    }
                    if top.sawDot && top.dottedTail == nil {
                        throw SchemeError.read("expected a datum after `.`", at: token.position)
                    }
                    produced = Value.list(top.items[...], tail: top.dottedTail ?? .null)
                    if case .pair(let p) = produced { sourceMap.record(p, top.position) }
                case .vector:
                    guard ch == ")" else { throw SchemeError.read("unexpected `\(ch)`", at: token.position) }
                    produced = .vector(SVector(top.items, mutable: false))
                case .hash(let kind):
                    let table = HashTable(kind: kind, mutable: false)
                    for item in top.items {
                        guard case .pair(let p) = item else {
                            throw SchemeError.read("expected a pair of key and value in a hash literal", at: top.position)
                        }
                        table.set(p.car, p.cdr)
                    }
                    produced = .hash(table)
                default:
                    throw SchemeError.read("unexpected `\(ch)`", at: token.position)
                }
            case .atom(let v):
                produced = v
            }
            // Hand the finished datum to the innermost open container, completing prefixes.
            while true {
                guard var top = stack.popLast() else { return produced }
                switch top.kind {
                case .prefix(let sym):
                    let p = Pair(.symbol(sym), .pair(Pair(produced, .null)))
                    sourceMap.record(p, top.position)
                    produced = .pair(p)
                    continue
                case .box:
                    produced = .object(Box(produced))
                    continue
                case .discard:
                    break
                case .list, .vector, .hash:
                    if top.sawDot {
                        if top.dottedTail != nil {
                            throw SchemeError.read("illegal use of `.`: more than one datum after it", at: top.position)
                        }
                        top.dottedTail = produced
                    } else {
                        top.items.append(produced)
                    }
                    stack.append(top)
                }
                break
            }
        }
    }

    /// The source positions recorded so far (for the compiler).
    public var positions: SourceMap { sourceMap }
}

/// Source positions of list data, keyed by pair identity.
public struct SourceMap: Sendable {
    private var table: [ObjectIdentifier: SourcePosition] = [:]
    mutating func record(_ p: Pair, _ pos: SourcePosition) { table[ObjectIdentifier(p)] = pos }
    func position(of p: Pair) -> SourcePosition? { table[ObjectIdentifier(p)] }
    mutating func merge(_ other: SourceMap) { table.merge(other.table) { a, _ in a } }
    public init() {}
}
