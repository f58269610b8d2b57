#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A real OpenAI-compatible HTTP/1.1 server on 127.0.0.1, for tests, benchmarks and offline demos
/// (`rlm-plan mock-server`). It answers `POST …/chat/completions` (and any other request) with
/// its `ServerBehavior`, by default the deterministic `EchoModel`.
///
/// One thread per connection with blocking sockets: simple, and it keeps a slow or hanging answer
/// from delaying the other connections. Connections are kept alive (HTTP/1.1), so a client that
/// reuses connections shows up as few `connectionsAccepted` for many `requestsReceived`.
///
/// ```swift
/// let server = LocalModelServer(behavior: .rateLimited(times: 1, retryAfter: 1))
/// try server.start()
/// defer { server.stop() }
/// // point a client at server.baseURL ("http://127.0.0.1:<port>/v1")
/// ```
public final class LocalModelServer: @unchecked Sendable {
    /// Why the server could not start.
    public struct StartError: Error, CustomStringConvertible {
        /// The system call that failed (`socket`, `bind`, `listen`).
        public var operation: String
        /// The `errno` it set.
        public var errno: Int32
        /// `<operation> failed: <strerror>`.
        public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
    }

    /// How every request is answered.
    public let behavior: ServerBehavior
    private let requestedPort: UInt16
    private let lock = NSLock()
    private var listeningSocket: Int32 = -1
    private var boundPort = 0
    private var openSockets: Set<Int32> = []
    private var stopped = false
    private var receivedCount = 0
    private var acceptedCount = 0
    private var accepting = false
    /// Signalled by the accept thread when it has closed the listening socket.
    private let acceptLoopEnded = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - port: The port to listen on; 0 picks a free one (read it from `port` after `start()`).
    ///   - behavior: How to answer each request.
    public init(port: UInt16 = 0, behavior: ServerBehavior = .echo) {
        requestedPort = port
        self.behavior = behavior
    }

    deinit { stop() }

    /// The port the server listens on (0 before `start()`).
    public var port: Int { lock.lock(); defer { lock.unlock() }; return boundPort }

    /// The OpenAI-style base URL clients should use: `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Requests received so far (complete requests, whatever the answer).
    public var requestsReceived: Int { lock.lock(); defer { lock.unlock() }; return receivedCount }

    /// TCP connections accepted so far.
    public var connectionsAccepted: Int { lock.lock(); defer { lock.unlock() }; return acceptedCount }

    /// Connections open right now (a client that closes its connection is gone from here once
    /// the server notices, within about 0.1 s even while an answer is delayed).
    public var openConnections: Int { lock.lock(); defer { lock.unlock() }; return openSockets.count }

    /// Binds 127.0.0.1:`port`, listens, and starts accepting connections on a background thread.
    public func start() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(operation: "socket", errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requestedPort.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { let e = errno; close(fd); throw StartError(operation: "bind", errno: e) }
        guard listen(fd, 1024) == 0 else { let e = errno; close(fd); throw StartError(operation: "listen", errno: e) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        lock.lock()
        listeningSocket = fd
        boundPort = Int(UInt16(bigEndian: address.sin_port))
        stopped = false
        accepting = true
        lock.unlock()
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "LocalModelServer.accept"
        thread.start()
    }

    /// Stops accepting, closes every open connection (hanging answers are abandoned) and
    /// returns once the port is closed (connecting to it is then refused). Safe to call more than once.
    public func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        let wasAccepting = accepting
        if listeningSocket >= 0 {
            // shutdown wakes the thread blocked in accept(); that thread closes the socket, so the
            // descriptor cannot be reused under it.
            shutdown(listeningSocket, Int32(SHUT_RDWR))
        }
        for fd in openSockets { shutdown(fd, Int32(SHUT_RDWR)) }
        lock.unlock()
        if wasAccepting { acceptLoopEnded.wait() }
    }

    /// Whether `stop()` has been called.
    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                let error = errno
                if error == EINTR || error == ECONNABORTED { continue }
                // Out of descriptors or memory: wait for connections to close rather than die.
                if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) && !isStopped {
                    usleep(10_000)
                    continue
                }
                break
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(client)
                break
            }
            let connectionNumber = acceptedCount
            acceptedCount += 1
            openSockets.insert(client)
            lock.unlock()
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let connection = ServerConnection(socket: client, number: connectionNumber, server: self)
            let thread = Thread { connection.run() }
            thread.stackSize = 1 << 20
            thread.start()
        }
        lock.lock()
        listeningSocket = -1
        accepting = false
        lock.unlock()
        close(listener)
        acceptLoopEnded.signal()
    }

    /// Called by a connection when it has read a whole request: counts it and numbers it.
    func nextRequestSequence() -> Int {
        lock.lock()
        defer { lock.unlock() }
        receivedCount += 1
        return receivedCount - 1
    }

    /// Called by a connection when it ends; closes the socket under the lock so that `stop()`
    /// never shuts down a descriptor number the system has already handed out again.
    func connectionEnded(_ fd: Int32) {
        lock.lock()
        defer { lock.unlock() }
        openSockets.remove(fd)
        close(fd)
    }

    /// Monotonic seconds (CLOCK_MONOTONIC), the time base of `ServedRequest.receivedAt`.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
