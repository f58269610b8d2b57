/// A simulation input or setting that cannot be used, said plainly.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ message: String) { description = message }
}
