import Foundation
import ModelServer
import Sandbox
import Simulator
import Testing

/// Issue 4's acceptance: exact tokens and dollars, and predictions that match real runs.
@Suite struct SimulatorAcceptanceTests {
    @Test func fanOutTokensAreExactAndDollarsArePrices() throws {
        let program = """
            (define items (string-split context "\\n\\n"))
            (define extracts (map-async (lambda (x) (llm-query-async #:instruction "Extract the key facts" #:data x #:model "gpt-4.1-nano")) items))
            (finish (syntax-e (llm-query #:instruction "Synthesize" #:data (string-join extracts "\\n") #:model "gpt-4o")))
            """
        var options = SimulationOptions()
        let items = try SyntheticData.items(100, tokens: 2000, seed: 4)
        options.context = items.joined(separator: "\n\n")
        let tokenizer = try BPETokenizer.shared(.o200kBase)
        #expect(items.allSatisfy { tokenizer.count($0) == 2000 })
        let report = Simulation.simulate(program: program, sourceName: "fan.scm", options: options)
        let records = report.runs[0].records
        let fanOut = records.filter { $0.model == "gpt-4.1-nano" }
        #expect(fanOut.count == 100)
        let expected = items.map { item in
            ChatTokenCounter.promptTokens(messages: ModelRequest.forQuery(instruction: "Extract the key facts", data: item, model: "gpt-4.1-nano").messages,
                                          encoding: .o200kBase)
        }.reduce(0, +)
        #expect(fanOut.reduce(0) { $0 + $1.promptTokens } == expected)
        #expect(report.tokenCountsExact)
        let catalog = ModelCatalog.embedded
        let nano = try #require(catalog.info("gpt-4.1-nano")), gpt4o = try #require(catalog.info("gpt-4o"))
        var dollars = 0.0
        for r in records {
            let info = r.model == "gpt-4o" ? gpt4o : nano
            dollars += Double(r.promptTokens) * info.inputCostPerToken! + Double(r.completionTokens) * info.outputCostPerToken!
        }
        #expect(abs(report.cost.p50 - dollars) < 1e-9)
    }

    /// A server whose reply lengths and latencies follow a known distribution: replies of
    /// log-normal length (median 120 tokens), latency 80 ms + 1 ms per 0.8 token (long enough that
    /// a busy test machine's scheduling noise stays small against it), usage counted with the same
    /// tokenizer the simulator uses.
    static func knownServer() -> LocalModelServer {
        LocalModelServer(behavior: ServerBehavior { request in
            var rng = SplitMix(seed: UInt64(request.sequence) &* 7919 &+ 17)
            let z = rng.normal()
            let tokens = max(1, Int((120 * exp(0.3 * z)).rounded()))
            let words = (0..<tokens).map { i in ["the", "data", "result", "model", "value", "point"][(i + request.sequence) % 6] }
            let text = words.joined(separator: " ")
            let messages = request.messages.map { ChatMessage(role: $0.role, content: $0.text) }
            let prompt = ChatTokenCounter.promptTokens(messages: messages, encoding: .o200kBase)
            let completion = (try? BPETokenizer.shared(.o200kBase).count(text)) ?? tokens
            var response = ServedResponse.chatCompletion(text: text, promptTokens: prompt, completionTokens: completion)
            response.delay = (0.08 + Double(completion) / 800) * exp(0.1 * rng.normal())
            return response
        })
    }

    @Test func predictionsMatchMeasuredRunsAfterCalibration() throws {
        let server = Self.knownServer()
        try server.start()
        defer { server.stop() }
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("calib-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        let program = """
            (define items (string-split context "\\n\\n"))
            (define extracts (map-async (lambda (x) (llm-query-async #:instruction "Summarize the item" #:data x)) items #:max-concurrent 10))
            (finish (string-length (syntax-e (llm-query #:instruction "Combine the summaries" #:data (string-join extracts "\\n")))))
            """
        let context = try SyntheticData.items(40, tokens: 150, seed: 2).joined(separator: "\n\n")
        var costs: [Double] = [], latencies: [Double] = []
        for k in 0..<4 {
            var settings = ModelSettings(defaultModel: "gpt-4o-mini", maxInFlight: 64)
            settings.runID = "measured-\(k)"
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL))
            let session = SandboxSession(storePath: store, gateway: ModelGateway(clock: WallClock(), settings: settings) { provider })
            _ = session.loadContext(context)
            let started = Date()
            let r = session.eval(program)
            latencies.append(Date().timeIntervalSince(started))
            #expect(r.status == .finished, "\(r.error?.message ?? "")")
            costs.append(session.usage.cost)
        }
        let records = try TraceArchive.records(storePath: store)
        #expect(records.count == 4 * 41)
        var options = SimulationOptions()
        options.defaultModel = "gpt-4o-mini"
        options.context = context
        options.runs = 30
        for fit in Calibration.fit(records, prior: .embedded) { options.behaviors.set(fit.behavior, for: fit.model) }
        let report = Simulation.simulate(program: program, sourceName: "calib.scm", options: options)
        let measuredCost = Distribution(costs).p50, measuredLatency = Distribution(latencies).p50
        print(String(format: "calibration check: cost predicted %.6f measured %.6f; latency predicted %.3f s measured %.3f s",
                     report.cost.p50, measuredCost, report.latency.p50, measuredLatency))
        #expect(abs(report.cost.p50 - measuredCost) / measuredCost < 0.10, "cost \(report.cost.p50) vs \(measuredCost)")
        #expect(abs(report.latency.p50 - measuredLatency) / measuredLatency < 0.20, "latency \(report.latency.p50) vs \(measuredLatency)")
    }
}

/// The test server's own generator (independent of the simulator's).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double { sqrt(-2 * log(max(unit(), 1e-12))) * cos(2 * .pi * unit()) }
}
