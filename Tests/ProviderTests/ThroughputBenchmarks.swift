#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ModelServer
import Sandbox
import Testing

/// Throughput of the provider and of the local server (docs/http-provider.md). Not part of the
/// normal run: they measure, they do not check behaviour. Run with
///
///     RLM_PROVIDER_BENCHMARK=1 swift test --skip-build --filter ThroughputBenchmarks
///
/// `RLM_PROVIDER_BENCHMARK_URL` points the provider at an external server (e.g. a release
/// `rlm-plan mock-server`) so the CPU figure is the client's alone; `RLM_PROVIDER_BENCHMARK_CALLS`
/// (default 1000) and `RLM_PROVIDER_BENCHMARK_WINDOW` (default 50) size the run.
@Suite("ThroughputBenchmarks", .enabled(if: ProcessInfo.processInfo.environment["RLM_PROVIDER_BENCHMARK"] == "1"),
       .serialized)
struct ThroughputBenchmarks {
    static let environment = ProcessInfo.processInfo.environment
    static let calls = Int(environment["RLM_PROVIDER_BENCHMARK_CALLS"] ?? "") ?? 1000
    static let window = Int(environment["RLM_PROVIDER_BENCHMARK_WINDOW"] ?? "") ?? 50

    @Test("provider: calls/s and CPU per call with a window of calls in flight")
    func providerThroughput() async throws {
        let server = LocalModelServer()
        let baseURL: String
        if let external = Self.environment["RLM_PROVIDER_BENCHMARK_URL"] {
            baseURL = external
        } else {
            try server.start()
            baseURL = server.baseURL
        }
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: baseURL, maxRetries: 0))
        for round in 0..<4 {
            let cpuBefore = Self.processCPUSeconds()
            let start = Date()
            let failures = await Self.runWindowed(provider: provider, calls: Self.calls, window: Self.window)
            let elapsed = Date().timeIntervalSince(start)
            let cpu = Self.processCPUSeconds() - cpuBefore
            print(String(format: "provider round %d: %d calls, window %d: %.3f s, %.0f calls/s, CPU %.0f µs/call (%@), %d failures, %d connections",
                         round, Self.calls, Self.window, elapsed, Double(Self.calls) / elapsed, cpu / Double(Self.calls) * 1e6,
                         Self.environment["RLM_PROVIDER_BENCHMARK_URL"] == nil ? "client+server" : "client only",
                         failures, server.connectionsAccepted))
            #expect(failures == 0)
        }
    }

    @Test("server: requests/s from 50 keep-alive connections (raw sockets, no HTTP client in the way)")
    func serverThroughput() async throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let body = #"{"model":"m","messages":[{"role":"user","content":"hello there, this is a benchmark"}]}"#
        let request = Array("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        let perConnection = 400
        let connections = 50
        for round in 0..<3 {
            let cpuBefore = Self.processCPUSeconds()
            let start = Date()
            let group = DispatchGroup()
            let failures = LockedCounter()
            for _ in 0..<connections {
                group.enter()
                let thread = Thread {
                    if !Self.rawClient(port: server.port, request: request, count: perConnection) { _ = failures.next() }
                    group.leave()
                }
                thread.start()
            }
            group.wait()
            let elapsed = Date().timeIntervalSince(start)
            let cpu = Self.processCPUSeconds() - cpuBefore
            let total = connections * perConnection
            print(String(format: "server round %d: %d requests on %d connections: %.3f s, %.0f requests/s, CPU %.0f µs/request (client+server), %d failed connections",
                         round, total, connections, elapsed, Double(total) / elapsed, cpu / Double(total) * 1e6, failures.next()))
        }
    }

    /// Keeps `window` calls in flight until `calls` have completed; returns the failures.
    static func runWindowed(provider: OpenAICompatibleProvider, calls: Int, window: Int) async -> Int {
        await withCheckedContinuation { continuation in
            let state = WindowState(total: calls, continuation: continuation)
            for _ in 0..<min(window, calls) { state.launchNext(provider) }
        }
    }

    /// Sends `count` requests one after another on one keep-alive connection; false on any error.
    static func rawClient(port: Int, request: [UInt8], count: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<count {
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return false }
            // Read until the head is complete, then the Content-Length body.
            var received: [UInt8] = []
            var needed = Int.max
            while received.count < needed {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { return false }
                received.append(contentsOf: buffer[0..<n])
                if needed == .max, let headEnd = received.firstRange(of: [13, 10, 13, 10]) {
                    let head = String(decoding: received[..<headEnd.lowerBound], as: UTF8.self).lowercased()
                    guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                          let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return false }
                    needed = headEnd.upperBound + length
                }
            }
        }
        return true
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// The benchmark's bookkeeping: starts the next call as each one completes.
private final class WindowState: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var started = 0
    private var finished = 0
    private var failures = 0
    private let continuation: CheckedContinuation<Int, Never>

    init(total: Int, continuation: CheckedContinuation<Int, Never>) {
        self.total = total
        self.continuation = continuation
    }

    func launchNext(_ provider: OpenAICompatibleProvider) {
        lock.lock()
        guard started < total else { lock.unlock(); return }
        let index = started
        started += 1
        lock.unlock()
        let request = ModelRequest.forQuery(instruction: "Answer briefly.", data: "benchmark call \(index)", model: "bench")
        provider.start(request, cancellation: CallCancellation()) { [self] result in
            lock.lock()
            finished += 1
            if case .failure = result { failures += 1 }
            let done = finished == total
            let failed = failures
            lock.unlock()
            if done { continuation.resume(returning: failed) } else { launchNext(provider) }
        }
    }
}
