import CCurlShims
import Foundation

/// HTTP for `OpenAICompatibleProvider`: libcurl's multi interface, one multi handle driven by one
/// thread, shared by every call of a provider.
///
/// Why libcurl and not URLSession: at 50 calls in flight against the local server, URLSession
/// cost about 0.6–0.8 ms of client CPU per call, libcurl driven directly a few tens of µs
/// (docs/http-provider.md).
///
/// The multi handle's connection pool keeps connections alive between calls, up to
/// `maxConnectionsPerHost` per host; further transfers wait inside libcurl for a free one.
///
/// Threads: `send` and `CurlTransfer.cancel()` may be called from any thread. They queue their
/// work under a lock and wake the loop with `curl_multi_wakeup`; only the loop thread adds,
/// drives and removes easy handles. Completions are dispatched to a concurrent queue, never run
/// on the loop thread, so a slow completion cannot stall the other transfers.
final class CurlTransport: Sendable {
    private let loop: CurlMultiLoop

    init(maxConnectionsPerHost: Int) {
        loop = CurlMultiLoop(maxConnectionsPerHost: maxConnectionsPerHost)
        let thread = Thread { [loop] in loop.run() }
        thread.name = "CurlTransport"
        thread.start()
    }

    /// Transfers still running hold the transport (through their completions' owners), so this
    /// runs with none in flight; the loop thread then frees the multi handle and ends.
    deinit { loop.stop() }

    /// Starts `request`; `completion` runs exactly once, on a background thread, never inside
    /// this call. Cancel with the returned transfer's `cancel()`.
    @discardableResult
    func send(_ request: HTTPRequest,
              completion: @escaping @Sendable (Result<HTTPResponse, TransportError>) -> Void) -> CurlTransfer? {
        guard let transfer = CurlTransfer(request, loop: loop, completion: completion) else {
            DispatchQueue.global().async {
                completion(.failure(TransportError(kind: .failed, message: "libcurl could not create a transfer")))
            }
            return nil
        }
        loop.add(transfer)
        return transfer
    }
}

/// The multi handle and the thread-crossing queues of a `CurlTransport`.
final class CurlMultiLoop: @unchecked Sendable {
    /// `curl_global_init` once per process, before any handle exists (it is not thread-safe).
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// The multi handle (`CURLM *`); freed by the loop thread when it ends.
    private let multi: UnsafeMutableRawPointer
    private let completionQueue = DispatchQueue.global()

    // Shared with other threads, under `lock`.
    private let lock = NSLock()
    private var toAdd: [CurlTransfer] = []
    private var toCancel: [CurlTransfer] = []
    private var stopping = false
    /// Set once the multi handle is gone: no more wakeups.
    private var stopped = false

    // Loop thread only.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxConnectionsPerHost: Int) {
        _ = Self.globalInit
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        let connections = max(1, maxConnectionsPerHost)
        rlm_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, connections)
        // Keep that many idle connections: libcurl's default pool (4 × transfers in flight)
        // shrinks as a burst drains, and the next burst would reconnect.
        rlm_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, connections)
    }

    /// Queues `transfer` for the loop thread.
    func add(_ transfer: CurlTransfer) {
        lock.lock()
        guard !stopped, !stopping else {
            lock.unlock()
            return complete(transfer, .failure(TransportError(kind: .failed, message: "the HTTP transport was shut down")))
        }
        toAdd.append(transfer)
        wakeIfFirst(queued: toAdd.count + toCancel.count)
        lock.unlock()
    }

    /// Queues the cancellation of `transfer`; the loop removes it and completes it with
    /// `.cancelled` unless it completed first.
    func cancel(_ transfer: CurlTransfer) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        toCancel.append(transfer)
        wakeIfFirst(queued: toAdd.count + toCancel.count)
    }

    /// Ends the loop: whatever is still queued or running completes with `.cancelled`.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopping = true
        curl_multi_wakeup(multi)
    }

    /// Wakes the loop when `queued` is 1 (under `lock`): with more, an earlier wakeup is still
    /// pending, since the loop empties both queues at once.
    private func wakeIfFirst(queued: Int) {
        if queued == 1 { curl_multi_wakeup(multi) }
    }

    /// The loop thread's body: take queued work, let libcurl run, hand out finished transfers,
    /// sleep in `curl_multi_poll` until a socket, a timer or a wakeup needs attention.
    func run() {
        while true {
            lock.lock()
            let adds = toAdd, cancels = toCancel, ending = stopping
            toAdd.removeAll(keepingCapacity: true)
            toCancel.removeAll(keepingCapacity: true)
            lock.unlock()
            for transfer in adds {
                let code = curl_multi_add_handle(multi, transfer.easy)
                if code == CURLM_OK {
                    running[transfer.easy] = transfer
                } else {
                    let text = String(cString: curl_multi_strerror(code))
                    complete(transfer, .failure(TransportError(kind: .failed, message: "libcurl: \(text)")))
                }
            }
            for transfer in cancels { finish(transfer, .failure(TransportError(kind: .cancelled, message: "cancelled"))) }
            if ending { break }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = running[easy] else { continue }
                finish(transfer, transfer.result(message.pointee.data.result))
            }
            curl_multi_poll(multi, nil, 0, 10_000, nil)
        }
        for transfer in Array(running.values) {
            finish(transfer, .failure(TransportError(kind: .cancelled, message: "the HTTP transport was shut down")))
        }
        lock.lock()
        stopped = true
        let stranded = toAdd
        toAdd = []
        toCancel = []
        lock.unlock()
        for transfer in stranded {
            complete(transfer, .failure(TransportError(kind: .cancelled, message: "the HTTP transport was shut down")))
        }
        curl_multi_cleanup(multi)
    }

    /// Takes a running transfer out of the multi handle and completes it (loop thread); a
    /// transfer that already finished is left alone.
    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPResponse, TransportError>) {
        guard running.removeValue(forKey: transfer.easy) != nil else { return }
        curl_multi_remove_handle(multi, transfer.easy)
        complete(transfer, result)
    }

    private func complete(_ transfer: CurlTransfer, _ result: Result<HTTPResponse, TransportError>) {
        guard !transfer.completed else { return }
        transfer.completed = true
        let completion = transfer.completion
        completionQueue.async { completion(result) }
    }
}
