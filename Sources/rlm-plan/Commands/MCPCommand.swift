import ArgumentParser
import Dispatch
import Sandbox
import Server
import Simulator

/// `rlm-plan mcp`: the MCP server on standard input and output, for Claude Code and any MCP host.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the planning, simulation and sandbox tools over MCP (stdio).",
        discussion: """
            Speaks the Model Context Protocol (JSON-RPC, one message per line) on standard input \
            and output; nothing else is written to standard output, diagnostics go to standard \
            error. Tools: plan_strategy (and clarify/finalize), simulate_strategy, estimate_cost, \
            list_models, list_patterns, get_pattern, load_context, execute_scheme, get_status, \
            cancel_call, get_sandbox_state, get_execution_trace, reset and the three guides. The \
            sandbox's state persists across calls until reset.

            Real model calls go to an OpenAI-compatible server: OPENAI_BASE_URL (default \
            https://api.openai.com/v1) and OPENAI_API_KEY, from the environment or a .env file in \
            the working directory; the key never reaches the sandbox, traces or replies. Guides and \
            patterns are read from the checkout's docs/ and patterns/ (or $RLM_PLAN_HOME).

            For Claude Code, put in .mcp.json: {"mcpServers": {"rlm-plan": {"command": \
            "/ABSOLUTE/PATH/rlm-plan", "args": ["mcp"]}}}

            \(ExitCodes.discussion(success: "the client closed standard input",
                                   failure: "the server could not start"))
            """
    )

    @OptionGroup(title: "Models")
    var modelOptions: ModelOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        var sessionLimits = limitOptions.limits
        // Strategies wait on models for minutes; execute_scheme's `timeout` bounds one run tighter.
        if limitOptions.wallSeconds == nil { sessionLimits.wallSeconds = 3600 }
        let limits = sessionLimits
        let seed = limitOptions.seed, store = modelOptions.store
        let model = modelOptions.model, maxConcurrent = modelOptions.maxConcurrent
        let options = UncheckedSendable(modelOptions)
        let configuration = MCPServerConfiguration(
            // Built at the first tool that needs the sandbox, so `tools/list` answers at once.
            makeSession: { SandboxSession(limits: limits, seed: seed, storePath: store, gateway: try options.value.makeGateway()) },
            simulationOptions: {
                var options = try SimulationSetup.options(model: model, models: nil)
                options.maxInFlight = maxConcurrent
                return options
            },
            version: RLMPlan.configuration.version)
        // The command tree is synchronous; the server runs on the concurrency pool meanwhile.
        let finished = DispatchSemaphore(value: 0)
        let failure = UncheckedSendable<(any Error)?>(nil)
        Task {
            do { try await MCPServer.serve(configuration) } catch { failure.value = error }
            finished.signal()
        }
        finished.wait()
        if let error = failure.value {
            StandardStreams.writeError("rlm-plan mcp: \(error)\n")
            throw ExitCodes.failure
        }
    }
}

/// Hands a value to another thread that uses it alone (the options to the server's session set-up,
/// the server's error back to the command).
private final class UncheckedSendable<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
