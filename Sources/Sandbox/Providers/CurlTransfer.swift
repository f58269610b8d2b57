import CCurlShims
import Foundation

/// One HTTP POST for `CurlTransport`.
struct HTTPRequest: Sendable {
    /// The absolute http(s) URL.
    var url: String
    /// Header lines, `"Name: value"`; `"Name:"` removes a header libcurl would add itself.
    var headers: [String]
    var body: Data
    /// Seconds after which libcurl abandons the transfer (`CURLOPT_TIMEOUT_MS`).
    var timeout: Double
}

/// A complete HTTP answer, whatever its status.
struct HTTPResponse: Sendable {
    var status: Int
    /// Names lowercased; a repeated header keeps its last value.
    var headers: [String: String]
    var body: Data
}

/// Why a transfer ended without an HTTP answer.
struct TransportError: Error, Sendable {
    enum Kind: Sendable {
        /// `HTTPRequest.timeout` passed.
        case timedOut
        /// `CurlTransfer.cancel()` was called first.
        case cancelled
        /// Connection refused, DNS, TLS, reset… (`message` says which).
        case failed
    }
    var kind: Kind
    var message: String
}

/// One request on a `CurlTransport`: its easy handle, the answer as it arrives, and the
/// completion that receives it.
///
/// Created on the caller's thread, which sets the options; from then on only the transport's
/// loop thread touches the handle (callbacks, result), until the handle leaves the multi handle.
/// The easy handle, its header list and its error buffer are freed in `deinit`, which can only
/// run once the loop has let go of the transfer.
final class CurlTransfer: @unchecked Sendable {
    /// The easy handle (`CURL *`).
    let easy: UnsafeMutableRawPointer
    let completion: @Sendable (Result<HTTPResponse, TransportError>) -> Void
    /// The loop that runs the transfer, for `cancel()`.
    let loop: CurlMultiLoop
    /// Whether the completion has been handed out (loop thread only).
    var completed = false

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var headers: [String: String] = [:]
    private var body = Data()

    /// nil when libcurl cannot allocate an easy handle.
    init?(_ request: HTTPRequest, loop: CurlMultiLoop,
          completion: @escaping @Sendable (Result<HTTPResponse, TransportError>) -> Void) {
        guard let easy = curl_easy_init() else {
            errorBuffer.deallocate()
            return nil
        }
        self.easy = easy
        self.loop = loop
        self.completion = completion
        errorBuffer[0] = 0
        for line in request.headers { headerList = curl_slist_append(headerList, line) }
        let this = Unmanaged.passUnretained(self).toOpaque()
        // Threads share the process: no signals (SIGALRM for DNS timeouts) from libcurl.
        rlm_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        rlm_curl_easy_setopt_pointer(easy, CURLOPT_URL, request.url)
        rlm_curl_easy_setopt_pointer(easy, CURLOPT_USERAGENT, "rlm-plan")
        rlm_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList)
        rlm_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
        // COPYPOSTFIELDS copies the body (the size above must come first), so `request` need not outlive this.
        if request.body.isEmpty {
            rlm_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, "")
        } else {
            request.body.withUnsafeBytes { _ = rlm_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        }
        rlm_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        rlm_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        rlm_curl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody)
        rlm_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, this)
        rlm_curl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        rlm_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, this)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Stops the transfer and completes it with `.cancelled`, unless it already completed.
    /// Any thread; the completion never runs inside this call.
    func cancel() {
        loop.cancel(self)
    }

    /// The outcome once libcurl reports the transfer done with `code` (loop thread).
    func result(_ code: CURLcode) -> Result<HTTPResponse, TransportError> {
        guard code == CURLE_OK else {
            let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
            return .failure(TransportError(kind: code == CURLE_OPERATION_TIMEDOUT ? .timedOut : .failed,
                                           message: "\(detail) (curl \(code.rawValue))"))
        }
        var status = 0
        rlm_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        body.append(bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// One header line as libcurl delivers it, CRLF included.
    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        // A status line starts a response (again after `100 Continue`): earlier headers were not its own.
        if line.starts(with: "HTTP/".utf8) {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        var start = colon + 1, end = line.count
        while start < end, blank(line[start]) { start += 1 }
        while end > start, blank(line[end - 1]) { end -= 1 }
        headers[String(decoding: line[..<colon], as: UTF8.self).lowercased()] = String(decoding: line[start..<end], as: UTF8.self)
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        // At least 1 ms (0 would mean "never"), at most about 31 years.
        Int(min(max(seconds * 1000, 1), 1e12).rounded(.up))
    }
}

private let curlWriteBody: curl_write_callback = { buffer, size, count, transfer in
    let length = size * count
    if let buffer, let transfer {
        Unmanaged<CurlTransfer>.fromOpaque(transfer).takeUnretainedValue()
            .receiveBody(UnsafeRawBufferPointer(start: buffer, count: length))
    }
    return length
}

private let curlWriteHeader: curl_write_callback = { buffer, size, count, transfer in
    let length = size * count
    if let buffer, let transfer {
        Unmanaged<CurlTransfer>.fromOpaque(transfer).takeUnretainedValue()
            .receiveHeader(UnsafeRawBufferPointer(start: buffer, count: length))
    }
    return length
}
