/// What a call took from the budgets before it was sent (reference §2.6, issue: "reserve before
/// each call … refund the unused part when the reply arrives").
///
/// A budget is a `token-budget` / `cost-budget` binding: the global value or a `parameterize`
/// scope. Every enclosing scope is charged (an inner scope cannot spend more than an outer one
/// allows), including the parent's scopes for a child sandbox's calls.
struct BudgetReservation {
    var tokens: Int = 0
    /// The output part of `tokens` (the worst case reserved for the reply).
    var outputTokens: Int = 0
    var dollars: Double = 0
    var tokenScopes: [BudgetScope] = []
    var dollarScopes: [BudgetScope] = []
}

/// A place a budget value lives: a parameterize binding or a parameter's global value.
enum BudgetScope {
    case binding(ParameterBinding)
    case global(Parameter)

    var value: Value {
        get {
            switch self {
            case .binding(let b): return b.value
            case .global(let p): return p.globalValue
            }
        }
        nonmutating set {
            switch self {
            case .binding(let b): b.value = newValue
            case .global(let p): p.globalValue = newValue
            }
        }
    }

    /// The remaining amount, nil when unlimited (`+inf.0`) or not a number.
    var remaining: Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }

    /// Adds `delta` (negative to spend), keeping an exact integer when the budget is one.
    func adjust(by delta: Double) {
        switch value {
        case .int(let i) where delta.rounded() == delta: value = .int(i + Int(delta))
        case .int(let i): value = .double(Double(i) + delta)
        case .double(let d) where d.isFinite: value = .double(d + delta)
        default: break
        }
    }

    func isSame(as other: BudgetScope) -> Bool {
        switch (self, other) {
        case (.binding(let a), .binding(let b)): return a === b
        case (.global(let a), .global(let b)): return a === b
        default: return false
        }
    }
}

/// Cumulative usage of a session (reference §2.6 `tokens-used`), across resets.
public struct UsageTotals: Sendable, Equatable {
    public var promptTokens = 0
    public var completionTokens = 0
    public var calls = 0
    public var failedCalls = 0
    public var cachedCalls = 0
    public var replayedCalls = 0
    /// Dollars of calls whose prices are known.
    public var cost: Double = 0
    /// Calls whose model has no known price.
    public var unpricedCalls = 0
    public var totalTokens: Int { promptTokens + completionTokens }
}
