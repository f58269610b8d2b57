import ArgumentParser

/// The `rlm-plan` command: a thin front end over the Sandbox, Simulator and Planner libraries.
@main
struct RLMPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlm-plan",
        abstract: "Run, simulate and plan LLM orchestration programs written in Scheme.",
        version: "0.1.0",
        subcommands: [EvalCommand.self, RunCommand.self, SimulateCommand.self, CalibrateCommand.self, ModelsCommand.self, ReplCommand.self, SandboxServerCommand.self, MockServerCommand.self,
                      SuggestCommand.self,
                      ClarifyCommand.self,
                      FinalizeCommand.self,
                      PatternsCommand.self,
                      MCPCommand.self,
                      FuzzCommand.self]
    )
}
