import Foundation
import ModelServer
import Sandbox
import Testing

/// Issue 12 items 6 and 7: a fan-out keeps what succeeded when some items fail for good.
@Suite struct FanOutFailureTests {
    /// Answers `status` to every request whose prompt mentions `poison`, echoes the rest.
    static func failing(_ poison: String, status: Int) -> ServerBehavior {
        ServerBehavior { request in
            if request.messages.contains(where: { $0.text.contains(poison) }) {
                return .error(status: status, message: "item poisoned")
            }
            return EchoModel.respond(to: request)
        }
    }

    func session(_ server: LocalModelServer, retries: Int = 1) -> SandboxSession {
        var config = OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil)
        config.retryBaseDelay = 0.001
        config.retryJitter = 0
        config.maxRetries = retries
        let provider = OpenAICompatibleProvider(configuration: config)
        let settings = ModelSettings(defaultModel: "gpt-4o-mini", maxInFlight: 64)
        return SandboxSession(storePath: ":memory:", gateway: ModelGateway(clock: WallClock(), settings: settings) { provider })
    }

    static let items = #"(define items (map (lambda (i) (format "item-~a" i)) (range 10)))"#

    @Test("with #:on-error, a 10-item map-async returns 10 results with the stand-in at the failed index")
    func onErrorStandsIn() throws {
        let server = LocalModelServer(behavior: Self.failing("item-3", status: 500))
        try server.start()
        defer { server.stop() }
        let r = session(server).eval(Self.items + #"""
            (define out (map-async (lambda (x) (llm-query-async #:data x)) items
                                   #:on-error (lambda (item e) (format "FAILED ~a ~a" item (exn:llm-status e)))))
            (finish (list (length out) (list-ref out 3) (for/and ([o out] [i (in-naturals)] #:unless (= i 3))
                                                          (string-contains? o (format "item-~a" i)))))
            """#)
        #expect(r.status == .finished, "\(r.error?.messageWithPosition ?? "")")
        #expect(r.result == "(10 FAILED item-3 500 #t)")
    }

    @Test("without #:on-error the error names the failed item, carries the 9 results, and the server answered the other 9")
    func errorNamesFailedItems() throws {
        let server = LocalModelServer(behavior: Self.failing("item-3", status: 500))
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let r = s.eval(Self.items + "\n" + #"""
            (define caught
              (with-handlers ([exn:llm? (lambda (e) e)])
                (map-async (lambda (x) (llm-query-async #:data x)) items)))
            (finish (list (exn:llm-status caught) (exn:llm-failures caught)
                          (length (filter string? (exn:llm-partial-results caught)))
                          (list-ref (exn:llm-partial-results caught) 3)))
            """#)
        #expect(r.status == .finished, "\(r.error?.messageWithPosition ?? "")")
        #expect(r.result.hasPrefix("(500 ((3 500 llm-query: API 500: item poisoned"), "\(r.result)")
        #expect(r.result.hasSuffix(" 9 #f)"), "\(r.result)")
        // 9 answered requests plus the failing item's first try and its one retry.
        #expect(server.requestsReceived == 11)
        #expect(s.callRecords.filter { $0.error == nil }.count == 9)

        let uncaught = s.eval(Self.items + "\n(define (ask x)\n  (llm-query-async #:data x))\n(map-async ask items)", sourceName: "fan.scm")
        #expect(uncaught.status == .error)
        let message = uncaught.error?.messageWithPosition ?? ""
        #expect(message.contains("map-async: 1 of 10 items failed"), "\(message)")
        #expect(message.contains("item 3: status 500: llm-query: API 500: item poisoned"), "\(message)")
        #expect(uncaught.error?.position?.source != "prelude", "\(message)")
        #expect(uncaught.error?.position?.line == 4, "\(message)")
    }

    @Test("inside map-async a 400 keeps exn:llm-status")
    func statusKeptInsideMapAsync() throws {
        let server = LocalModelServer(behavior: Self.failing("item-5", status: 400))
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let r = s.eval(Self.items + "\n" + #"""
            (finish (with-handlers ([exn:llm? (lambda (e) (exn:llm-status e))])
                      (map-async (lambda (x) (syntax-e (llm-query #:data x))) items)))
            """#)
        #expect(r.result == "400", "\(r.error?.messageWithPosition ?? r.result)")
        // A failure inside parallel (which still stops at the first failure) keeps its status too.
        let p = s.eval(#"""
            (finish (with-handlers ([exn:llm? (lambda (e) (exn:llm-status e))])
                      (parallel (list (lambda () (syntax-e (llm-query #:data "item-5")))))))
            """#)
        #expect(p.result == "400", "\(p.error?.messageWithPosition ?? p.result)")
    }

    @Test("fan-out-aggregate, tiered and active-learning take #:on-error")
    func combinatorsTakeOnError() throws {
        let server = LocalModelServer(behavior: Self.failing("item-3", status: 500))
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let stand = #"#:on-error (lambda (item e) "STAND-IN")"#
        let agg = s.eval(Self.items + "\n" + """
            (finish (fan-out-aggregate (lambda (x) (llm-query-async #:data x))
                                       (lambda (rs) (list (length rs) (list-ref rs 3))) items \(stand)))
            """)
        #expect(agg.result == "(10 STAND-IN)", "\(agg.error?.messageWithPosition ?? agg.result)")
        let tiered = s.eval(Self.items + "\n" + """
            (finish (tiered (lambda (x) (llm-query-async #:data x)) (lambda (rs) (list-ref rs 3)) items \(stand)))
            """)
        #expect(tiered.result == "STAND-IN", "\(tiered.error?.messageWithPosition ?? tiered.result)")
        let active = s.eval(Self.items + "\n" + """
            (finish (let ([rs (active-learning (lambda (x) (llm-query-async #:data x))
                                               (lambda (x) (llm-query-async #:data x))
                                               (lambda (r) (if (equal? r "STAND-IN") 1 0)) items \(stand))])
                      (list (length rs) (list-ref rs 3))))
            """)
        #expect(active.result == "(10 STAND-IN)", "\(active.error?.messageWithPosition ?? active.result)")
    }

    @Test("a program error inside an item still stops the fan-out at once and is raised as is")
    func programErrorsStillRaise() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let r = session(server).eval(#"(map-async (lambda (x) (if (= x 2) (car x) (llm-query-async #:data "ok"))) (range 4))"#)
        #expect(r.status == .error)
        #expect(r.error?.message.contains("car: contract violation") == true, "\(r.error?.message ?? "")")
    }
}
