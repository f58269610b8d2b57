import Sandbox
import Simulator

/// The planner: turns task descriptions into ranked, simulated strategies (a later issue).
public enum PlannerModule {
    public static let patternsDirectory = "patterns"
}
