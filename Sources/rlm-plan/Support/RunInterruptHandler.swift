#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Sandbox

/// Ctrl-C during `rlm-plan run`: the first interrupts the evaluation (its calls are cancelled,
/// the summary and trace are still written, the journal keeps what completed so `--resume`
/// continues); the second exits at once with status 130.
final class RunInterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private var count = 0

    init(session: SandboxSession) {
        // The signal is taken by the dispatch source, not by the default action (which kills).
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            count += 1
            if count == 1 {
                StandardStreams.writeError("\r\u{1B}[2Krlm-plan: interrupting… (press Ctrl-C again to quit at once)\n")
                session.interrupt()
            } else {
                StandardStreams.writeError("rlm-plan: quit\n")
                _exit(130)
            }
        }
        source.resume()
    }

    /// Stops handling Ctrl-C (the default action applies again).
    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
