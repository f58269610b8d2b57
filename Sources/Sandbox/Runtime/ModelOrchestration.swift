/// A sandbox's side of model calls: where they go, the scheduler of the fibers awaiting them,
/// the budgets they are charged to, and the `#:recursive` children they start. One per runtime
/// (a child sandbox shares its parent's scheduler and gateway); touched only from the VM thread.
final class ModelOrchestration {
    /// Where model calls go; shared by the session's child sandboxes. nil: no provider configured.
    var gateway: ModelGateway? {
        didSet { if let clock = gateway?.clock, clock !== scheduler.clock { scheduler = Scheduler(clock: clock) } }
    }
    /// The fibers of this sandbox, on the gateway's clock (a wall clock until a gateway is set).
    var scheduler = Scheduler(clock: WallClock())
    /// `token-budget` (reference §2.6) and `cost-budget` (dollars): `+inf.0` = unlimited.
    let tokenBudget = Parameter(.double(.infinity), name: "token-budget")
    let costBudget = Parameter(.double(.infinity), name: "cost-budget")
    /// The model `map-async`/`tree-reduce`'s `#:model` imposes on calls whose own `#:model` is "".
    let modelOverride = Parameter(.str(""), name: "%model-override")
    /// Time spent waiting on a host that owns the model calls (callback mode), which does not
    /// count toward the wall-clock limit; `hostWaitAtStart` is its value when the evaluation began.
    var hostWaitSeconds: (() -> Double)?
    var hostWaitAtStart: Double = 0
    /// Where user code last called a model-call procedure with keywords (see `noteModelCallSite`).
    var modelCallSite: SourcePosition?
    /// Calls made by `llm-query-async`, by handle id.
    var asyncCalls: [String: ModelCall] = [:]
    /// Depth and parent of this sandbox when it is a `#:recursive` child.
    var recursion = RecursionContext()
    /// `#:recursive` children running on this sandbox's scheduler (ended on an interrupt).
    var liveChildren: [ChildSandbox] = []
    /// Children's sandboxes built ahead (shared with the children, see `ChildEvaluatorPool`).
    var childPool = ChildEvaluatorPool()
}
