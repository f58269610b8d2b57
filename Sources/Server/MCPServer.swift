import Foundation
import MCP
import Sandbox
import Simulator

/// What the server needs from its host program: how to make a session (limits, model gateway)
/// and the simulation settings that match real runs. `rlm-plan mcp` builds it from its options.
public struct MCPServerConfiguration: Sendable {
    /// A fresh sandbox session; called on first use (again after a failure, which the tool reports).
    public var makeSession: @Sendable () throws -> SandboxSession
    /// Simulation settings matching real runs (registry, default model, concurrency window).
    public var simulationOptions: @Sendable () throws -> SimulationOptions
    /// The server's version, as `initialize` reports it.
    public var version: String

    public init(makeSession: @escaping @Sendable () throws -> SandboxSession,
                simulationOptions: @escaping @Sendable () throws -> SimulationOptions, version: String) {
        self.makeSession = makeSession
        self.simulationOptions = simulationOptions
        self.version = version
    }
}

/// The MCP server of `rlm-plan mcp`: the original's tools (reference §5) plus simulation, cost
/// estimates, the model registry and the pattern library, over the official MCP Swift SDK.
public enum MCPServer {
    /// Serves on standard input and output until the client closes standard input.
    /// Nothing but protocol is written to standard output.
    public static func serve(_ configuration: MCPServerConfiguration) async throws {
        let server = makeServer(configuration)
        let host = SandboxHost(makeSession: configuration.makeSession)
        await register(on: server, host: host, configuration: configuration)
        try await server.start(transport: StdioTransport()) { _, _ in
            // Once a client is there, get the sandbox ready in the background, so the first
            // execute_scheme does not wait for it.
            Task.detached(priority: .utility) { await host.prepare() }
        }
        await server.waitUntilCompleted()
    }

    static let instructions = """
        Orchestrate LLM calls in a Scheme sandbox, estimating cost before spending. Workflow: \
        1) plan_strategy (or list_patterns/get_pattern) to pick a strategy; \
        2) simulate_strategy or estimate_cost to see calls, tokens, dollars and latency without calling any model; \
        3) load_context with the data, then execute_scheme (max_cost refuses a run whose simulated p95 cost is higher). \
        While it runs: get_status, cancel_call. Afterwards: get_execution_trace, get_sandbox_state. \
        State persists until reset. Guides: get_usage_guide, get_combinator_reference, get_codegen_reference.
        """

    static func makeServer(_ configuration: MCPServerConfiguration) -> MCP.Server {
        MCP.Server(name: "rlm-plan", version: configuration.version, instructions: instructions,
                   capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
    }

    /// Registers the handlers (done once, before `start`).
    static func register(on server: MCP.Server, host: SandboxHost, configuration: MCPServerConfiguration) async {
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: ToolCatalog.definitions)
        }
        await server.withMethodHandler(CallTool.self) { [weak server] params in
            guard let tool = ToolCatalog.tool(named: params.name) else {
                throw MCPError.invalidParams("Unknown tool: \(params.name); tools/list shows the \(ToolCatalog.tools.count) tools")
            }
            var progress: (@Sendable (Double, Double?, String) async -> Void)?
            if let token = params._meta?.progressToken, let server {
                progress = { [weak server] done, total, message in
                    try? await server?.notify(ProgressNotification.message(
                        .init(progressToken: token, progress: done, total: total, message: message)))
                }
            }
            let context = ToolContext(host: host, configuration: configuration, progress: progress)
            do {
                let arguments = try ToolArguments(params.arguments, tool: tool.name, parameters: tool.parameters)
                return try await tool.call(arguments, context).result
            } catch let error as ToolError {
                return ToolReply.error(error.message).result
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                return ToolReply.error("\(tool.name) failed: \(error)").result
            }
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: ResourceCatalog.list())
        }
        await server.withMethodHandler(ReadResource.self) { params in
            guard let text = ResourceCatalog.read(uri: params.uri) else {
                throw MCPError.invalidParams("Unknown resource: \(params.uri); resources/list shows the resources")
            }
            return ReadResource.Result(contents: [.text(text.text, uri: params.uri, mimeType: text.mimeType)])
        }
    }
}
