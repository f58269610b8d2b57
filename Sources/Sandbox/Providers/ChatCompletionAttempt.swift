import Foundation

/// One HTTP attempt of a chat completion: send, then turn the answer into a `ModelReply` or a
/// `ProviderError` (with the server's `Retry-After`, so `RetryingCall` can decide what next).
/// Timeouts, retries and backoff are `RetryingCall`'s; libcurl's own timeout is only a backstop.
enum ChatCompletionAttempt {
    /// Longest server message quoted in an error.
    static let quotedMessageLimit = 300

    /// Sends `request` once; `completion` runs exactly once, on a transport thread (or with
    /// `.cancelled` once `cancellation` fires and the transfer is stopped).
    static func send(_ request: HTTPRequest, transport: CurlTransport, scrubber: SecretScrubber,
                     cancellation: CallCancellation,
                     completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let host = host(of: request, scrubber: scrubber)
        let startTime = MonotonicClock.seconds()
        let transfer = transport.send(request) { outcome in
            completion(result(of: outcome, host: host, scrubber: scrubber, timeout: request.timeout, startTime: startTime))
        }
        cancellation.onCancel { transfer?.cancel() }
    }

    private static func result(of outcome: Result<HTTPResponse, TransportError>, host: String, scrubber: SecretScrubber,
                               timeout: Double, startTime: Double) -> Result<ModelReply, ProviderError> {
        let response: HTTPResponse
        switch outcome {
        case .success(let answer):
            response = answer
        case .failure(let error) where error.kind == .timedOut:
            return .failure(ProviderError(.timeout, message: "no reply within \(RetryingCall.format(timeout)) s from \(host)"))
        case .failure(let error) where error.kind == .cancelled:
            return .failure(ProviderError(.cancelled, message: "the call was cancelled"))
        case .failure(let error):
            return .failure(ProviderError(.transport, message: scrubber.clean("\(host): \(error.message)", limit: quotedMessageLimit)))
        }
        let body = response.body, headers = response.headers, status = response.status
        if (200...299).contains(status) {
            guard let completion = ChatCompletionCodec.decodeCompletion(body) else {
                let excerpt = String(decoding: body.prefix(4096), as: UTF8.self)
                let text = scrubber.clean("HTTP \(status) but the body is not a chat completion: \(excerpt)", limit: quotedMessageLimit)
                return .failure(ProviderError(.malformed, status: nil, message: text))
            }
            return .success(ModelReply(text: completion.text, promptTokens: completion.promptTokens,
                                       completionTokens: completion.completionTokens,
                                       latency: MonotonicClock.seconds() - startTime,
                                       rateLimits: RateLimitSnapshot(headers: headers)))
        }
        let serverMessage = ChatCompletionCodec.errorMessage(in: body)
        let text = scrubber.clean(serverMessage.isEmpty ? "HTTP \(status)" : serverMessage, limit: quotedMessageLimit)
        return .failure(ProviderError(.http, status: status, message: text, retryAfter: RetryPolicy.retryAfterSeconds(in: headers)))
    }

    /// `host:port` of the request's URL, for messages.
    static func host(of request: HTTPRequest, scrubber: SecretScrubber) -> String {
        let url = URL(string: request.url)
        let port = url?.port.map { ":\($0)" } ?? ""
        return scrubber.clean((url?.host ?? "server") + port)
    }
}
