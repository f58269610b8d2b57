import Sandbox

/// The simulator: runs strategies against a mock provider on a virtual clock (a later issue).
public enum SimulatorModule {
    /// Version of the simulator's report format.
    public static let reportVersion = 1
}
