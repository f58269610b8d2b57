import Foundation
import Sandbox
import Simulator

// 200 simulations of different 100-item fan-out + synthesis programs through the library API
// (issue 9's acceptance: time per simulation, goal under 10 ms). Each program differs in its
// instruction, models, window and synthesis, as the planner's candidates do; each simulation
// is one run of its own program. Prints one line of JSON.
//
// Usage: simulator-bench [--count N] [--items N] [--chars C] [--concurrent K]

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]), n > 0 else { return fallback }
    return n
}

let count = argument("--count", 200)
let items = argument("--items", 100)
let chars = argument("--chars", 2000)
let concurrent = argument("--concurrent", 1)

let workers = ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini", "claude-3-5-haiku"]
let synthesisers = ["gpt-4o", "gpt-4.1", "claude-3-7-sonnet"]
let tasks = ["Extract the key facts", "Classify the topic", "Summarise in one sentence", "List the people named",
             "Translate to French", "Rate the relevance from 1 to 5", "Find the dates", "Name the main claim"]

func program(_ k: Int) -> String {
    let worker = workers[k % workers.count]
    let synthesiser = synthesisers[(k / workers.count) % synthesisers.count]
    let task = tasks[k % tasks.count] + " (variant \(k))"
    let window = 5 + (k % 4) * 10
    return """
        (define task "\(task)")
        (define items (string-split context "\\n\\n"))
        (define results (map-async (lambda (x) (llm-query-async #:instruction task #:data x #:model "\(worker)" #:max-tokens \(100 + k % 50)))
                                   items #:max-concurrent \(window)))
        (define synthesis (syntax-e (llm-query #:instruction "Merge the results" #:data (string-join results "\\n") #:model "\(synthesiser)")))
        (finish (hash 'items results 'synthesis synthesis))
        """
}

var options = SimulationOptions()
options.dataShape = .items(count: items, chars: chars)
options.runs = 1
let programs = (0..<count).map(program)

// One warm-up simulation (first-use costs: the tokenizer's rank tables, the preludes).
let warmStart = Date()
_ = try Simulation.simulateSynchronously(program: programs[0], sourceName: "warm-up.scm", options: options)
let warmUp = Date().timeIntervalSince(warmStart)

/// CPU seconds of this process so far (user + system).
func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

let cpuBefore = cpuSeconds()
let start = Date()
var calls = 0.0, outputs = 0.0
if concurrent <= 1 {
    for (k, code) in programs.enumerated() {
        let report = try await Simulation.simulate(program: code, sourceName: "candidate-\(k).scm", options: options)
        calls += report.calls.p50
        outputs += report.outputs.p50
    }
} else {
    // Several simulations at once, as a host with many candidates would run them.
    try await withThrowingTaskGroup(of: (Double, Double).self) { group in
        var next = 0
        func add() {
            let k = next, code = programs[k]
            next += 1
            group.addTask {
                let r = try await Simulation.simulate(program: code, sourceName: "candidate-\(k).scm", options: options)
                return (r.calls.p50, r.outputs.p50)
            }
        }
        for _ in 0..<min(concurrent, count) { add() }
        while let (c, o) = try await group.next() {
            calls += c
            outputs += o
            if next < count { add() }
        }
    }
}
let wall = Date().timeIntervalSince(start)
let cpu = cpuSeconds() - cpuBefore
let expectedCalls = Double(count * (items + 1))
guard calls == expectedCalls, outputs == Double(count * items) else {
    FileHandle.standardError.write(Data("simulator-bench: expected \(expectedCalls) calls and \(count * items) outputs, got \(calls) and \(outputs)\n".utf8))
    exit(1)
}
print("{\"simulations\":\(count),\"items\":\(items),\"concurrent\":\(concurrent),\"calls\":\(Int(calls)),"
      + "\"wall_s\":\(String(format: "%.3f", wall)),\"cpu_s\":\(String(format: "%.3f", cpu)),"
      + "\"ms_per_simulation\":\(String(format: "%.2f", wall / Double(count) * 1000)),"
      + "\"cpu_ms_per_simulation\":\(String(format: "%.2f", cpu / Double(count) * 1000)),"
      + "\"warm_up_ms\":\(String(format: "%.1f", warmUp * 1000))}")
