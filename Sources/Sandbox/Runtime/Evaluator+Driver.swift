/// Running a top-level form to completion while other fibers share the thread.
extension Evaluator {
    /// Calls `thunk` on the main fiber and runs the scheduler until the main fiber ends: ready
    /// fibers run in turn; when none is ready, the clock delivers the next completion.
    ///
    /// `finish`, `finish-error` and limit errors in any fiber end the whole evaluation.
    func runOnMainFiber(_ thunk: Value) -> RunOutcome {
        runtime.currentFiber = fiber
        var outcome = interpreter.apply(thunk, [], on: fiber)
        let scheduler = runtime.models.scheduler
        runtime.interrupt.waits(on: scheduler.clock)
        while case .suspended = outcome {
            if runtime.interrupt.isRequested {
                outcome = abandonMain(.error(InterruptSignal.error))
                break
            }
            if let entry = scheduler.popReady() {
                switch entry {
                case .start(let f, let t):
                    let r = (f.childSandbox?.evaluator.interpreter ?? interpreter).apply(t, [], on: f)
                    if let end = settle(f, r) { outcome = abandonMain(end) }
                case .resume(let f, let result):
                    let r = (f.childSandbox?.evaluator.interpreter ?? interpreter).resume(f, with: result)
                    if f === fiber { outcome = r; break }
                    if let end = settle(f, r) { outcome = abandonMain(end) }
                }
                continue
            }
            // Idle until the clock delivers: build the sandboxes announced recursive calls will need.
            if runtime.models.childPool.needsBuilding {
                runtime.models.childPool.buildOne(limits: runtime.limits)
                continue
            }
            guard scheduler.externalWaits > 0 else {
                outcome = abandonMain(.error(SchemeError(.user, "deadlock: every fiber is waiting and no model call or timer is outstanding")))
                break
            }
            let clock = scheduler.clock
            let deadline = clock.isVirtual ? Double.infinity
                : clock.now() + (interpreter.wallDeadline - MonotonicClock.seconds())
            if !clock.runNext(until: deadline) {
                let limit = clock.isVirtual
                    ? SchemeError(.user, "deadlock: the simulation has nothing left to deliver")
                    : SchemeError(.timeLimit, "time limit: the evaluation ran for more than \(runtime.limits.wallSeconds) s (limit wall-seconds)")
                outcome = abandonMain(.error(limit))
            }
        }
        runtime.currentFiber = fiber
        if case .error(let e) = outcome, e.code == .interrupted { abandonOutstandingWork() }
        return outcome
    }

    /// After an interrupt: every call the evaluation still had settles as cancelled (requests in
    /// flight are aborted) and its fibers are dropped, so nothing of it runs later.
    private func abandonOutstandingWork() {
        runtime.models.gateway?.cancelAll(on: runtime.models.scheduler)
        runtime.models.scheduler.discardAll()
        for child in runtime.models.liveChildren { child.end(.failure(InterruptSignal.error)) }
    }

    /// Records how a fiber's run ended (a child sandbox's fibers by the child's rules); returns
    /// an outcome that ends the whole evaluation.
    private func settle(_ f: Fiber, _ r: RunOutcome) -> RunOutcome? {
        if let child = f.childSandbox { return child.settle(f, r) }
        return settleSpawned(f, r)
    }

    /// Records how a spawned fiber's run ended; returns an outcome that ends the whole evaluation.
    private func settleSpawned(_ f: Fiber, _ r: RunOutcome) -> RunOutcome? {
        guard let future = f.future else { return nil }
        switch r {
        case .suspended:
            return nil
        case .done(let v):
            end(f, future, .success(v))
        case .error(let e):
            end(f, future, .failure(e))
            if e.code.isLimit { return r }
        case .finished, .finishError:
            end(f, future, .failure(SchemeError(.user, "future ended by finish")))
            return r
        }
        return nil
    }

    private func end(_ f: Fiber, _ future: FiberFuture, _ result: Result<Value, SchemeError>) {
        future.fiber = nil
        future.lastAwaitedCall = f.lastAwaitedCall
        future.settle(result)
    }

    /// The main fiber is suspended; something else ended the evaluation: drop its state.
    private func abandonMain(_ outcome: RunOutcome) -> RunOutcome {
        interpreter.abandonSuspended(fiber)
        return outcome
    }
}
