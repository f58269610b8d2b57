/// Giving memory back once an evaluation has ended, so the memory limit measures what is live.
///
/// A run that ends in an error may leave values in stack slots above the recorded `sp` (the loop
/// keeps `sp` in a local), and a deep recursion leaves its grown stacks allocated: after
/// `(let loop ([s "a"]) (loop (string-append s s)))` or a 10M-deep recursion hit the memory
/// limit, every later evaluation of the session failed with out of memory until `reset`.
extension Fiber {
    /// Stack slots and frames an idle fiber keeps; larger stacks are reallocated at this size.
    static let idleStackSlots = 1024
    static let idleFrames = 256

    /// Clears every slot from `sp` up and shrinks stacks grown past the idle sizes. Only for a
    /// fiber that is not running (no frames).
    func releaseIdleCapacity() {
        guard frameCount == 0 else { return }
        (stack + sp).update(repeating: .null, count: stackCapacity - sp)
        if stackCapacity > 16 * Fiber.idleStackSlots, sp <= Fiber.idleStackSlots {
            let fresh = UnsafeMutablePointer<Value>.allocate(capacity: Fiber.idleStackSlots)
            fresh.moveInitialize(from: stack, count: sp)
            (fresh + sp).initialize(repeating: .null, count: Fiber.idleStackSlots - sp)
            (stack + sp).deinitialize(count: stackCapacity - sp)
            stack.deallocate()
            stack = fresh
            stackCapacity = Fiber.idleStackSlots
        }
        if frameCapacity > 16 * Fiber.idleFrames {
            frames.deallocate()
            frames = .allocate(capacity: Fiber.idleFrames)
            frameCapacity = Fiber.idleFrames
        }
        if handlers.capacity > 4096 { handlers = [] }
        if parameters.capacity > 4096 { parameters = [] }
    }
}
