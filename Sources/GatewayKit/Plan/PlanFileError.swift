/// A saved plan file that cannot be read, is not a plan, or holds no single plan for the gateway.
public struct PlanFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
