/// The iterative renderer behind `Printer`: walks a value with an explicit task stack and
/// appends Racket's printed form to `out`.
///
/// Three flavours share this code (see `Printer.renderGraph`):
/// - untracked: no cycle bookkeeping, gives up after `nodeBudget` containers;
/// - tracked: keeps the containers on the current path in `onPath` and records back-edge targets;
/// - labelled: prints `#n=` before each target's first appearance and `#n#` for later ones.
struct PrintEngine {
    /// Containers the untracked pass visits before switching to cycle tracking. Cyclic data
    /// always exceeds it; ordinary results never pay for a hash set.
    static let untrackedNodeBudget = 200_000

    /// One pending step of the walk.
    enum Task {
        case value(Value, depth: Int)
        case text(String)
        /// The rest of a list after an element: `.null` closes, a pair continues, else ` . x`.
        case listRest(Value, depth: Int)
        /// `)` of the innermost open list, releasing its pairs from `onPath`.
        case closeList
        case vectorRest(SVector, index: Int, depth: Int)
        case entryRest(EntryList, index: Int, depth: Int)
        /// Leaves a container (tracked pass) and then appends its closing text.
        case leave(ObjectIdentifier, close: String)
        /// Switches strings back to display/write rendering after a syntax object's datum.
        case setWrite(Bool)
    }

    /// Hash entries in print order, shared by the tasks that walk them.
    final class EntryList {
        let items: [(key: Value, value: Value)]
        init(_ items: [(key: Value, value: Value)]) { self.items = items }
    }

    var write: Bool
    /// Print mode: `(quote x)` shows as `'x` (and likewise `` ` `` `,` `,@` `#'` …).
    var abbreviateQuotes = false
    let maxDepth: Int
    let capBytes: Int
    var out = ""
    var tasks: [Task] = []
    var depthExceeded = false
    var truncated = false
    /// The limit that stopped this rendering (see `run`).
    var limitError: SchemeError?

    var nodeBudget = Int.max
    var budgetExceeded = false

    var tracking = false
    var onPath = Set<ObjectIdentifier>()
    /// Open lists of the tracked pass: head and how many tail pairs were entered.
    var listFrames: [(head: Pair, tails: Int)] = []
    var backTargets = Set<ObjectIdentifier>()

    var labelTargets = Set<ObjectIdentifier>()
    var labelNumbers: [ObjectIdentifier: Int] = [:]

    init(write: Bool, maxDepth: Int, capBytes: Int) {
        self.write = write
        self.maxDepth = maxDepth
        self.capBytes = capBytes
    }

    var rendering: Printer.Rendering {
        Printer.Rendering(text: out, depthExceeded: depthExceeded, truncated: truncated, limitError: limitError)
    }

    /// Renders `v` into `out`.
    ///
    /// Inside an evaluation the work is charged to its limits every `meterInterval` steps (fuel
    /// per step, memory for the text); a limit stops the rendering, is kept in `limitError` and
    /// is raised at the evaluation's next check.
    mutating func run(_ v: Value) {
        let meter = Runtime.current
        var steps = 0
        var chargedBytes = out.utf8.count
        tasks.append(.value(v, depth: 0))
        while let task = tasks.popLast() {
            if out.utf8.count > capBytes {
                truncated = true
                return
            }
            step(task)
            if budgetExceeded { return }
            steps &+= 1
            if steps >= PrintEngine.meterInterval, let meter {
                steps = 0
                let grown = out.utf8.count - chargedBytes
                chargedBytes = out.utf8.count
                do {
                    try meter.burn(PrintEngine.meterInterval + grown / 8, allocating: grown)
                } catch let e as SchemeError {
                    if meter.deadlines.deferredError == nil { meter.deadlines.deferredError = e }
                    limitError = e
                    truncated = true
                    return
                } catch {
                    truncated = true
                    return
                }
            }
        }
    }

    /// Steps of rendering between two charges to the evaluation's limits.
    static let meterInterval = 1_024

    private mutating func step(_ task: Task) {
        switch task {
        case .value(let v, let depth):
            renderValue(v, depth: depth)
        case .text(let s):
            out += s
        case .listRest(let rest, let depth):
            renderListRest(rest, depth: depth)
        case .closeList:
            if tracking, let frame = listFrames.popLast() {
                var cur = Value.pair(frame.head)
                for _ in 0...frame.tails {
                    guard case .pair(let p) = cur else { break }
                    onPath.remove(ObjectIdentifier(p))
                    cur = p.cdr
                }
            }
            out += ")"
        case .vectorRest(let vec, let index, let depth):
            guard index < vec.items.count else { return }
            if index + 1 < vec.items.count { tasks.append(.vectorRest(vec, index: index + 1, depth: depth)) }
            if index > 0 { out += " " }
            tasks.append(.value(vec.items[index], depth: depth))
        case .entryRest(let list, let index, let depth):
            guard index < list.items.count else { return }
            if index + 1 < list.items.count { tasks.append(.entryRest(list, index: index + 1, depth: depth)) }
            if index > 0 { out += " " }
            out += "("
            tasks.append(.text(")"))
            tasks.append(.value(list.items[index].value, depth: depth))
            tasks.append(.text(" . "))
            tasks.append(.value(list.items[index].key, depth: depth))
        case .leave(let id, let close):
            if tracking { onPath.remove(id) }
            out += close
        case .setWrite(let w):
            write = w
        }
    }

    /// Enters a container: handles labels, back-references and the node budget.
    /// Returns false when the container was printed as a reference and must not be expanded.
    private mutating func enter(_ id: ObjectIdentifier) -> Bool {
        if !labelTargets.isEmpty, labelTargets.contains(id) {
            if let n = labelNumbers[id] {
                out += "#\(n)#"
                return false
            }
            let n = labelNumbers.count
            labelNumbers[id] = n
            out += "#\(n)="
        }
        if tracking {
            if onPath.contains(id) {
                backTargets.insert(id)
                out += "#?#"
                return false
            }
            onPath.insert(id)
        } else {
            nodeBudget -= 1
            if nodeBudget < 0 { budgetExceeded = true }
        }
        return true
    }

    /// True (after printing `...`) when a container at `depth` is too deep to show.
    private mutating func tooDeep(_ depth: Int) -> Bool {
        if depth >= maxDepth {
            // In the untracked pass this may be a cycle through cars or boxes: let the tracked
            // pass decide.
            if !tracking && labelTargets.isEmpty { budgetExceeded = true }
            depthExceeded = true
            out += "..."
            return true
        }
        return false
    }

    private mutating func renderValue(_ v: Value, depth: Int) {
        switch v {
        case .null: out += "()"
        case .void: out += "#<void>"
        case .bool(let b): out += b ? "#t" : "#f"
        case .int(let i): out += String(i)
        case .double: out += NumberFormat.render(v)
        case .char(let c): Printer.appendChar(c, write: write, to: &out)
        case .symbol(let s): Printer.appendSymbol(s.name, write: write, to: &out)
        case .keyword(let s):
            out += "#:"
            Printer.appendSymbol(s.name, write: write, keyword: true, to: &out)
        case .string(let s):
            // Only as much of a long string as can still be shown (a 10M-character string is
            // not copied whole to be cut afterwards).
            let room = capBytes - out.utf8.count + 1
            if s.scalars.count > room && room >= 0 {
                Printer.appendString(Array(s.scalars.prefix(room)), write: write, to: &out)
                truncated = true
            } else {
                Printer.appendString(s.scalars, write: write, to: &out)
            }
        case .pair(let p):
            if tooDeep(depth) || !enter(ObjectIdentifier(p)) { return }
            if abbreviateQuotes, let (prefix, datum) = PrintEngine.quoteForm(p) {
                out += prefix
                tasks.append(.leave(ObjectIdentifier(p), close: ""))
                tasks.append(.value(datum, depth: depth + 1))
                return
            }
            if tracking { listFrames.append((head: p, tails: 0)) }
            out += "("
            tasks.append(.closeList)
            tasks.append(.listRest(p.cdr, depth: depth + 1))
            tasks.append(.value(p.car, depth: depth + 1))
        case .vector(let vec):
            if tooDeep(depth) || !enter(ObjectIdentifier(vec)) { return }
            out += "#("
            tasks.append(.leave(ObjectIdentifier(vec), close: ")"))
            tasks.append(.vectorRest(vec, index: 0, depth: depth + 1))
        case .hash(let table):
            if tooDeep(depth) || !enter(ObjectIdentifier(table)) { return }
            switch table.kind {
            case .equal: out += "#hash("
            case .eqv: out += "#hasheqv("
            case .eq: out += "#hasheq("
            }
            tasks.append(.leave(ObjectIdentifier(table), close: ")"))
            tasks.append(.entryRest(EntryList(Printer.orderedEntries(table)), index: 0, depth: depth + 1))
        case .closure(let c): Printer.appendProcedureName(c.name, to: &out)
        case .primitive(let p): Printer.appendProcedureName(p.name, to: &out)
        case .object(let o): renderObject(o, depth: depth)
        case .missing: out += "#<undefined>"
        }
    }

    private mutating func renderListRest(_ rest: Value, depth: Int) {
        switch rest {
        case .null:
            return
        case .pair(let q):
            let id = ObjectIdentifier(q)
            if labelTargets.contains(id) || (abbreviateQuotes && PrintEngine.quoteForm(q) != nil) {
                // A labelled pair in tail position starts its own list: `(1 . #0=(2 . #0#))`.
                out += " . "
                tasks.append(.value(rest, depth: depth))
                return
            }
            if tracking {
                if onPath.contains(id) {
                    backTargets.insert(id)
                    out += " . #?#"
                    return
                }
                onPath.insert(id)
                if !listFrames.isEmpty { listFrames[listFrames.count - 1].tails += 1 }
            } else {
                nodeBudget -= 1
                if nodeBudget < 0 {
                    budgetExceeded = true
                    return
                }
            }
            out += " "
            tasks.append(.listRest(q.cdr, depth: depth))
            tasks.append(.value(q.car, depth: depth))
        default:
            out += " . "
            tasks.append(.value(rest, depth: depth))
        }
    }

    /// The reader abbreviation for a two-element list such as `(quote x)`, and its datum.
    static func quoteForm(_ p: Pair) -> (String, Value)? {
        guard case .symbol(let head) = p.car, case .pair(let rest) = p.cdr, rest.cdr.isNull else { return nil }
        switch head.name {
        case "quote": return ("'", rest.car)
        case "quasiquote": return ("`", rest.car)
        case "unquote": return (",", rest.car)
        case "unquote-splicing": return (",@", rest.car)
        case "syntax": return ("#'", rest.car)
        case "quasisyntax": return ("#`", rest.car)
        case "unsyntax": return ("#,", rest.car)
        case "unsyntax-splicing": return ("#,@", rest.car)
        default: return nil
        }
    }

    private mutating func renderObject(_ o: SchemeObject, depth: Int) {
        switch o {
        case is BigNum, is Ratnum, is Complex:
            out += NumberFormat.render(.object(o))
        case let box as Box:
            if tooDeep(depth) || !enter(ObjectIdentifier(box)) { return }
            out += "#&"
            tasks.append(.leave(ObjectIdentifier(box), close: ""))
            tasks.append(.value(box.value, depth: depth + 1))
        case let s as StructInstance:
            guard let layout = Printer.structLayout(s) else {
                out += "#<\(s.type.name)>"
                return
            }
            if tooDeep(depth) || !enter(ObjectIdentifier(s)) { return }
            out += s.type.isPrefab ? "#s(\(s.type.name)" : "#(struct:\(s.type.name)"
            tasks.append(.leave(ObjectIdentifier(s), close: ")"))
            for item in layout.reversed() {
                switch item {
                case .field(let v):
                    tasks.append(.value(v, depth: depth + 1))
                    tasks.append(.text(" "))
                case .hidden:
                    tasks.append(.text(" ..."))
                }
            }
        case let syntax as SyntaxObject:
            // The datum always shows in write mode (reference §4.7: `#<syntax "hello">`).
            if tooDeep(depth) { return }
            out += "#<syntax "
            tasks.append(.text(">"))
            tasks.append(.setWrite(write))
            tasks.append(.value(syntax.datum, depth: depth + 1))
            write = true
        case let mv as MultipleValues:
            for (i, item) in mv.values.enumerated().reversed() {
                tasks.append(.value(item, depth: depth))
                if i > 0 { tasks.append(.text("\n")) }
            }
        default:
            Printer.appendOpaque(o, write: write, to: &out)
        }
    }
}
