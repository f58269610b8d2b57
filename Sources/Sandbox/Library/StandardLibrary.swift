/// Installs every built-in library into a runtime; the Scheme preludes are compiled by the
/// evaluator right after (they need the compiler).
enum StandardLibrary {
    static func install(into runtime: Runtime) {
        let lib = LibraryBuilder(runtime: runtime)
        registerCoreLibrary(lib)
        registerNumberLibrary(lib)
        registerStringLibrary(lib)
        registerCharLibrary(lib)
        registerListLibrary(lib)
        registerVectorLibrary(lib)
        registerHashLibrary(lib)
        registerIOLibrary(lib)
        registerJSONLibrary(lib)
        registerSequenceLibrary(lib)
        registerSandboxLibrary(lib)
        registerPythonLibrary(lib)
        registerStoreLibrary(lib)
        registerModelLibrary(lib)
        registerContextItemsLibrary(lib)
        registerContentHashLibrary(lib)
        installInternalAliases(lib)
        markInlineOperations(runtime)
    }

    /// Prelude procedures compiled at start-up even though they could load lazily: the VM calls
    /// them directly rather than through a global reference.
    static let eagerPreludeNames: Set<String> = ["%dispatch-exception"]

    /// Scheme sources compiled at session start, in order.
    static let preludes: [(name: String, source: String)] = [
        ("prelude-core", PreludeCore.source),
        ("prelude-lists", PreludeLists.source),
        ("prelude-lists-more", PreludeListsMore.source),
        ("prelude-models", PreludeModels.source),
    ]

    /// The `%` names the expander's output calls: the same primitives as the public names, but
    /// protected, so user redefinitions of `car` or `reverse` cannot break `for/list`.
    private static func installInternalAliases(_ lib: LibraryBuilder) {
        for name in ["cons", "car", "cdr", "pair?", "list", "append", "reverse", "list->vector", "+", "*", "<",
                     "vector-ref", "vector-length", "string-ref", "string-length", "hash->list", "hash-keys",
                     "hash-values", "hash-set", "hash", "hasheq", "void", "<=", "call/ec"] {
            lib.alias("%" + name, name)
        }
    }

    private static func markInlineOperations(_ runtime: Runtime) {
        let table: [(String, InlineOp)] = [
            ("+", .add), ("-", .sub), ("*", .mul), ("=", .numEq), ("<", .lt), (">", .gt), ("<=", .le), (">=", .ge),
            ("car", .car), ("cdr", .cdr), ("cons", .cons), ("null?", .isNull), ("empty?", .isNull), ("pair?", .isPair),
            ("not", .not), ("eq?", .eq), ("zero?", .isZero), ("add1", .add1), ("sub1", .sub1),
        ]
        for (name, op) in table {
            if case .primitive(let p)? = runtime.global(name) { p.inlineOp = op }
        }
    }

    /// Scaffold bindings neither `define` nor `set!` may change (reference §4.2, §11), plus the
    /// names the original left unprotected by mistake (§10.7) and our internal `%` helpers.
    static let protectedNames: [String] = [
        // user-facing (§4.2)
        "finish", "finish-var", "llm-query", "llm-query-async", "await", "await-all", "await-all-syntax", "map-async",
        "syntax-e", "datum->syntax", "tokens-used", "rate-limits", "py-exec", "py-eval", "py-call", "py-set!", "context",
        "token-budget", "unsafe-raw-query", "unsafe-interpolate", "unsafe-overwrite", "unsafe-exec-sub-output",
        "checkpoint", "restore", "heartbeat",
        // combinators (§3)
        "parallel", "race", "sequence", "fold-sequential", "tree-reduce", "recursive-spawn", "fan-out-aggregate",
        "iterate-until", "critique-refine", "with-validation", "vote", "ensemble", "tiered", "active-learning",
        "memoized", "choose", "try-fallback",
        // internal (§4.2)
        "racket-syntax-e", "racket-datum->syntax",
        // promised by the seeds (§11)
        "finish-error", "tokens-remaining", "checkpoint!", "load-context",
        // gaps in the original's protection (§10.7)
        "await-any", "get-context", "context-store",
        // fibers, budgets and accounting of this implementation
        "spawn", "touch", "cost-budget", "cost-used",
        // the template contract's item splitter (patterns/, planner)
        "context-items",
    ]
}
