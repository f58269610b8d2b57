/// A return point on a fiber's frame stack. `marker` is 0 for an ordinary call; otherwise its low
/// three bits say what to do when a value returns through it (`FrameMarker`) and the rest is data.
///
/// The references are unmanaged (not retained), so pushing and popping frames costs no reference
/// counting: a frame's closure is kept alive by the callee slot below its `fp`, and its code by
/// that closure (or, for the trampoline, by the interpreter).
struct Frame {
    var codeRef: Unmanaged<Code>
    var closureRef: Unmanaged<Closure>?
    var ip: Int
    var fp: Int
    var marker: Int

    init(code: Code, closure: Closure?, ip: Int, fp: Int, marker: Int) {
        codeRef = Unmanaged.passUnretained(code)
        closureRef = closure.map { Unmanaged.passUnretained($0) }
        self.ip = ip
        self.fp = fp
        self.marker = marker
    }
    init(codeRef: Unmanaged<Code>, closureRef: Unmanaged<Closure>?, ip: Int, fp: Int, marker: Int) {
        self.codeRef = codeRef
        self.closureRef = closureRef
        self.ip = ip
        self.fp = fp
        self.marker = marker
    }
    var code: Code { codeRef.takeUnretainedValue() }
    var closure: Closure? { closureRef?.takeUnretainedValue() }
}

/// What a marker frame does when a value returns through it.
enum FrameMarker {
    /// Leave a `with-handlers` body: pop its handler record.
    static let handler = 1
    /// Leave a `parameterize` body: drop bindings down to the depth in the high bits.
    static let parameters = 2
    /// The frame of a `call/ec`; high bits = the escape continuation's id.
    static let escape = 3
    /// The bottom of a run: returning here ends the run with the value.
    static let exit = 4
    /// The producer of `call-with-values` returned: spread its values into a call of the consumer
    /// (which sits in the stack slot just below the result).
    static let values = 5
    /// A `sort` comparison returned; high bits = the stack slot holding the sort's state.
    static let sort = 6

    @inline(__always) static func kind(_ m: Int) -> Int { m & 7 }
    @inline(__always) static func data(_ m: Int) -> Int { m >> 3 }
    @inline(__always) static func make(_ kind: Int, _ data: Int) -> Int { (data << 3) | kind }
}

/// An active `with-handlers`: where to unwind to when something is raised.
struct HandlerRecord {
    /// Index of the marker frame in the frame stack.
    let frameIndex: Int
    /// The `(pred . handler)` list.
    let handlers: Value
    let parameterDepth: Int
    /// Stack slot the `with-handlers` expression's value goes to.
    let stackBase: Int
}

/// A settled model call a fiber consumed: what its next call depends on.
struct AwaitedCall {
    let id: String
    let endedAt: Double

    /// The later of `a` and `b` (the one whose end the fiber really waited for).
    static func latest(_ a: AwaitedCall?, _ b: AwaitedCall?) -> AwaitedCall? {
        guard let a else { return b }
        guard let b else { return a }
        return b.endedAt > a.endedAt ? b : a
    }
}

/// A thread of Scheme control: its own value stack, frame stack, handler and parameter stacks.
///
/// Frames are heap data, never Swift stack frames, so deep Scheme recursion is limited only by
/// memory and `Limits.maxCallDepth`; a fiber can be suspended between any two instructions.
final class Fiber {
    var stack: UnsafeMutablePointer<Value>
    var stackCapacity: Int
    var sp = 0
    var frames: UnsafeMutablePointer<Frame>
    var frameCapacity: Int
    var frameCount = 0
    var handlers: [HandlerRecord] = []
    var parameters: [ParameterBinding] = []
    // Registers while not running.
    var code: Code?
    var closure: Closure?
    var ip = 0
    var fp = 0
    /// Frame depth of the run's exit marker (handlers below it belong to nobody).
    var exitDepth = 0
    /// Whether the call the fiber is suspended in was in tail position (resume returns from the frame).
    var resumeTail = false
    /// Set when the fiber was cancelled (a `race` loser): it is never resumed again.
    var isCancelled = false
    /// The future this fiber computes (nil for an evaluation's main fiber).
    weak var future: FiberFuture?
    /// The `#:recursive` child sandbox this fiber belongs to (nil: the session's own sandbox);
    /// its interpreter runs the fiber and its rules settle how the fiber ends.
    var childSandbox: ChildSandbox?
    /// Model calls this fiber made and fibers it spawned: cancelled with it.
    var ownedCalls: [ModelCall] = []
    var children: [FiberFuture] = []
    /// Settled calls and children are dropped when a list reaches this size (then it doubles,
    /// so pruning stays linear overall).
    var prunePoint = 64
    /// The model call this fiber last waited on (by the latest end time when it gathered several),
    /// recorded as the dependency of the next call it makes (`CallRecord.dependsOn`).
    var lastAwaitedCall: AwaitedCall?

    /// Drops settled calls and children once a list of `count` reaches the prune point.
    func pruneSettledIfLarge(_ count: Int) {
        guard count >= prunePoint else { return }
        ownedCalls.removeAll { $0.isSettled }
        children.removeAll { $0.isSettled }
        prunePoint = max(64, 2 * (ownedCalls.count + children.count))
    }

    init(stackCapacity: Int = 1024, frameCapacity: Int = 256) {
        self.stackCapacity = stackCapacity
        stack = .allocate(capacity: stackCapacity)
        stack.initialize(repeating: .null, count: stackCapacity)
        self.frameCapacity = frameCapacity
        frames = .allocate(capacity: frameCapacity)
    }

    deinit {
        stack.deinitialize(count: stackCapacity)
        stack.deallocate()
        frames.deinitialize(count: frameCount)
        frames.deallocate()
    }

    /// Makes room for `needed` stack slots (slots above `sp` are always `.null`).
    @inline(never)
    func growStack(to needed: Int) {
        var cap = stackCapacity
        while cap < needed { cap *= 2 }
        let fresh = UnsafeMutablePointer<Value>.allocate(capacity: cap)
        fresh.moveInitialize(from: stack, count: stackCapacity)
        (fresh + stackCapacity).initialize(repeating: .null, count: cap - stackCapacity)
        stack.deallocate()
        stack = fresh
        stackCapacity = cap
    }

    @inline(never)
    func growFrames() {
        let cap = frameCapacity * 2
        let fresh = UnsafeMutablePointer<Frame>.allocate(capacity: cap)
        fresh.moveInitialize(from: frames, count: frameCount)
        frames.deallocate()
        frames = fresh
        frameCapacity = cap
    }

    /// Drops frames above `count`.
    func truncateFrames(to count: Int) {
        if frameCount > count {
            (frames + count).deinitialize(count: frameCount - count)
            frameCount = count
        }
    }

    /// Clears stack slots from `from` up to `sp` and sets `sp = from`.
    func truncateStack(to from: Int) {
        var i = from
        while i < sp { stack[i] = .null; i += 1 }
        sp = from
    }

    /// Replaces everything from `calleeIndex` up by `callee` and `arguments` (a call being rewritten,
    /// as by `apply`).
    func setCall(at calleeIndex: Int, callee: Value, arguments: [Value]) {
        truncateStack(to: calleeIndex)
        let needed = calleeIndex + 1 + arguments.count + 8
        if needed > stackCapacity { growStack(to: needed) }
        stack[calleeIndex] = callee
        var i = calleeIndex + 1
        for v in arguments { stack[i] = v; i += 1 }
        sp = i
    }

    /// The value of parameter `p` in this fiber's dynamic extent.
    func parameterValue(_ p: Parameter) -> Value {
        var i = parameters.count - 1
        while i >= 0 {
            if parameters[i].parameter === p { return parameters[i].value }
            i -= 1
        }
        return p.globalValue
    }
}
