#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One accepted connection, served on its own thread: read a request, ask the behaviour, wait
/// its delay, write the answer, and repeat while the client keeps the connection alive.
///
/// Only what OpenAI clients send is understood: `Content-Length` bodies (a chunked body gets 411),
/// `Expect: 100-continue`, `Connection: close`. No pipelining is needed, since HTTP/1.1 clients
/// send the next request only after the answer.
final class ServerConnection: @unchecked Sendable {
    private static let maximumHeadBytes = 64 * 1024
    private static let maximumBodyBytes = 128 * 1024 * 1024

    private let socket: Int32
    private let number: Int
    private let server: LocalModelServer
    private var buffer: [UInt8] = []
    private var readChunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(socket: Int32, number: Int, server: LocalModelServer) {
        self.socket = socket
        self.number = number
        self.server = server
    }

    func run() {
        defer { server.connectionEnded(socket) }
        while serveOneRequest() {}
    }

    /// Serves one request; false when the connection should close.
    private func serveOneRequest() -> Bool {
        guard let headEnd = readUntilHeadEnd() else { return false }
        guard let head = HTTPRequestHead(bytes: buffer[0..<headEnd]) else {
            _ = write(ServedResponse.text(status: 400, "bad request\n"), keepAlive: false)
            return false
        }
        if head.headers["transfer-encoding"] != nil {
            _ = write(ServedResponse.text(status: 411, "only Content-Length bodies are supported\n"), keepAlive: false)
            return false
        }
        let bodyLength = Int(head.headers["content-length"] ?? "0") ?? -1
        guard bodyLength >= 0, bodyLength <= Self.maximumBodyBytes else {
            _ = write(ServedResponse.text(status: 413, "bad or too large Content-Length\n"), keepAlive: false)
            return false
        }
        let bodyStart = headEnd + 4
        if buffer.count < bodyStart + bodyLength, head.headers["expect"]?.lowercased() == "100-continue" {
            guard sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return false }
        }
        while buffer.count < bodyStart + bodyLength {
            guard readMore() else { return false }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + bodyLength)])
        buffer.removeFirst(bodyStart + bodyLength)

        let request = ServedRequest(sequence: server.nextRequestSequence(), connection: number,
                                    receivedAt: LocalModelServer.monotonicSeconds(), method: head.method,
                                    path: head.target, headers: head.headers, body: body)
        let response = server.behavior.respond(request)
        guard waitBeforeAnswering(response.delay) else { return false }
        return write(response, keepAlive: head.keepAlive) && head.keepAlive
    }

    /// Reads until the buffer holds a whole request head; returns the offset of its `\r\n\r\n`.
    private func readUntilHeadEnd() -> Int? {
        var scanned = 0
        while true {
            if buffer.count >= 4 {
                var i = max(0, scanned - 3)
                while i + 3 < buffer.count {
                    if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
                    i += 1
                }
                scanned = buffer.count
            }
            guard buffer.count <= Self.maximumHeadBytes, readMore() else { return nil }
        }
    }

    /// Appends what the socket has to the buffer; false at end of stream or on error.
    private func readMore() -> Bool {
        while true {
            let n = readChunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: readChunk[0..<n])
                return true
            }
            if n < 0, errno == EINTR { continue }
            return false
        }
    }

    /// Waits `delay` seconds before answering. Gives up (false) when the client closes the
    /// connection or the server stops, so a never-answering behaviour does not outlive either.
    private func waitBeforeAnswering(_ delay: Double) -> Bool {
        guard delay > 0 else { return true }
        let deadline = LocalModelServer.monotonicSeconds() + delay
        var clientSentMore = false
        while true {
            if server.isStopped { return false }
            let remaining = deadline - LocalModelServer.monotonicSeconds()
            if remaining <= 0 { return true }
            if remaining < 0.002 || clientSentMore {
                usleep(UInt32(min(remaining, 0.05) * 1e6))
                continue
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining * 1000, 100).rounded(.down))
            guard poll(&descriptor, 1, milliseconds) > 0 else { continue }
            if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return false }
            var byte: UInt8 = 0
            let peeked = recv(socket, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
            if peeked == 0 { return false }
            if peeked > 0 { clientSentMore = true }
        }
    }

    /// Writes `response` with `Content-Length` and the `Connection` header; false on a write error.
    private func write(_ response: ServedResponse, keepAlive: Bool) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(Self.reasonPhrase(response.status))\r\n"
        for header in response.headers {
            let name = header.name.lowercased()
            if name == "content-length" || name == "connection" { continue }
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        bytes.append(contentsOf: response.body)
        return sendAll(bytes)
    }

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(socket, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}

/// The request line and headers of one HTTP/1.x request.
struct HTTPRequestHead {
    var method: String
    var target: String
    var version: String
    /// Lowercased names.
    var headers: [String: String]

    /// Whether the connection stays open after the answer (HTTP/1.1 default; HTTP/1.0 only on request).
    var keepAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        if version == "HTTP/1.0" { return connection == "keep-alive" }
        return connection != "close"
    }

    init?(bytes: ArraySlice<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { return nil }
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])
        headers = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
}
