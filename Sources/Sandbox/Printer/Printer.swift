/// Renders values exactly as Racket prints them (reference §4.7): `display` (`~a`), `write` (`~s`)
/// and `print` (`~v`, REPL style with a leading quote).
///
/// Rendering is iterative (an explicit task stack, see `PrintEngine`), so deeply nested data
/// cannot overflow the Swift stack; data nested deeper than `maxDepth` is cut with `...`.
/// Cyclic data (made with `set-cdr!`, `vector-set!`, `hash-set!`) prints with Racket's graph
/// labels, `#0=(1 2 . #0#)`, instead of hanging.
public enum Printer {
    /// How strings, chars and symbols appear.
    enum Mode {
        /// Raw content: `hello`, `a`, `a b`.
        case display
        /// Readable: `"hello"`, `#\a`, `|a b|`.
        case write
        /// Like write, plus a quote before data that is not self-quoting: `'(1 2)`, `'a`.
        case print
    }

    /// Characters of output after which rendering stops with `...` even without a `limit`.
    ///
    /// Shared structure can make the printed form exponentially larger than the data
    /// (`(let loop ([n 60] [x '()]) (if (zero? n) x (loop (- n 1) (cons x x))))`); no program
    /// under the default memory limit can hold a string this long, so honest output never hits it.
    static let outputCap = 128 << 20

    /// `display` rendering: strings and chars raw.
    public static func display(_ v: Value, maxDepth: Int = 10_000) -> String {
        render(v, mode: .display, maxDepth: maxDepth).text
    }

    /// `write` rendering: strings quoted and escaped. Output longer than `limit` code points is cut
    /// to `limit` and ends with `...`.
    public static func write(_ v: Value, limit: Int = .max, maxDepth: Int = 10_000) -> String {
        render(v, mode: .write, maxDepth: maxDepth, limit: limit).text
    }

    /// `print` rendering (`~v`, `~e`, `print`): write mode with a leading quote where Racket shows one.
    static func print(_ v: Value, limit: Int = .max, maxDepth: Int = 10_000) -> String {
        render(v, mode: .print, maxDepth: maxDepth, limit: limit).text
    }

    /// `display` rendering that fails instead of cutting data nested deeper than `maxDepth`.
    ///
    /// - Throws: `SchemeError` with code `.depthLimit`.
    public static func checkedDisplay(_ v: Value, maxDepth: Int) throws -> String {
        try checked(v, mode: .display, maxDepth: maxDepth)
    }

    /// Like `checkedDisplay`, in any mode.
    static func checked(_ v: Value, mode: Mode, maxDepth: Int) throws -> String {
        let r = render(v, mode: mode, maxDepth: maxDepth)
        if let e = r.limitError { throw e }
        if r.depthExceeded {
            throw SchemeError(.depthLimit, "cannot print: data nested deeper than \(maxDepth) levels (limit print-depth)")
        }
        return r.text
    }

    /// The text of a rendering and whether it had to be cut.
    struct Rendering {
        var text: String
        /// Some data was nested deeper than `maxDepth` and shows as `...`.
        var depthExceeded: Bool
        /// The output passed `limit` (or `outputCap`) and was cut.
        var truncated: Bool
        /// An evaluation limit stopped the rendering (`PrintEngine.run`).
        var limitError: SchemeError? = nil
    }

    /// The display text of a `finish` value under the output limit: at most `limitBytes` bytes
    /// of UTF-8; a longer text is cut and ends with a note saying so.
    ///
    /// - Throws: `SchemeError` for data nested deeper than `maxDepth` or a limit reached while printing.
    static func finishText(_ v: Value, maxDepth: Int, limitBytes: Int) throws -> String {
        let budget = max(limitBytes, 0)
        // The engine stops soon after `budget` bytes; the text is then cut exactly below.
        let r = renderGraph(v, write: false, maxDepth: maxDepth, capBytes: min(budget, outputCap))
        if let e = r.limitError { throw e }
        if r.depthExceeded {
            throw SchemeError(.depthLimit, "cannot print: data nested deeper than \(maxDepth) levels (limit print-depth)")
        }
        guard r.truncated || r.text.utf8.count > budget else { return r.text }
        // Cut at `budget` bytes, dropping a code point the cut would split.
        var bytes = Array(r.text.utf8.prefix(budget))
        var lead = bytes.count - 1
        while lead >= 0 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        if lead >= 0 {
            let b = bytes[lead]
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            if bytes.count - lead < length { bytes.removeSubrange(lead...) }
        }
        return String(decoding: bytes, as: UTF8.self) + "... [result truncated: longer than the output limit of \(limitBytes) bytes left for it (limit output-bytes)]"
    }

    /// Renders `v`; `limit` counts code points.
    static func render(_ v: Value, mode: Mode, maxDepth: Int, limit: Int = .max) -> Rendering {
        if case .object(let mv as MultipleValues) = v {
            // Racket's REPL shows each of several values on its own line.
            var parts: [String] = []
            var depth = false
            var limitError: SchemeError?
            for item in mv.values {
                let r = render(item, mode: mode, maxDepth: maxDepth, limit: limit)
                parts.append(r.text)
                depth = depth || r.depthExceeded
                limitError = limitError ?? r.limitError
            }
            var joined = finish(parts.joined(separator: "\n"), limit: limit, depthExceeded: depth, truncated: false)
            joined.limitError = limitError
            return joined
        }
        let capBytes = limit >= outputCap / 4 ? outputCap : limit * 4 + 4
        var r: Rendering
        if mode == .print {
            r = renderPrintMode(v, maxDepth: maxDepth, capBytes: capBytes)
        } else {
            r = renderGraph(v, write: mode == .write, maxDepth: maxDepth, capBytes: capBytes)
        }
        var out = finish(r.text, limit: limit, depthExceeded: r.depthExceeded, truncated: r.truncated)
        out.limitError = r.limitError
        return out
    }

    /// Runs the engine in up to three passes: untracked (cheap, bounded), tracked (finds cycles),
    /// labelled (prints `#n=` / `#n#`). Acyclic data of ordinary size needs only the first.
    static func renderGraph(_ v: Value, write: Bool, maxDepth: Int, capBytes: Int, prefix: String = "",
                            abbreviateQuotes: Bool = false) -> Rendering {
        func engine() -> PrintEngine {
            var e = PrintEngine(write: write, maxDepth: maxDepth, capBytes: capBytes)
            e.out = prefix
            e.abbreviateQuotes = abbreviateQuotes
            return e
        }
        var fast = engine()
        fast.nodeBudget = PrintEngine.untrackedNodeBudget
        fast.run(v)
        if !fast.budgetExceeded { return fast.rendering }

        var tracked = engine()
        tracked.tracking = true
        tracked.run(v)
        if tracked.backTargets.isEmpty { return tracked.rendering }

        var labelled = engine()
        labelled.labelTargets = tracked.backTargets
        labelled.run(v)
        return labelled.rendering
    }

    /// Applies `limit` (in code points) to a finished rendering.
    private static func finish(_ text: String, limit: Int, depthExceeded: Bool, truncated: Bool) -> Rendering {
        var text = text
        var cut = truncated
        if limit < .max, text.utf8.count > limit {
            let scalars = text.unicodeScalars
            if scalars.count > limit {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars.prefix(limit))
                text = String(view) + "..."
                cut = true
            }
        } else if truncated {
            text += "..."
        }
        return Rendering(text: text, depthExceeded: depthExceeded, truncated: cut)
    }
}

