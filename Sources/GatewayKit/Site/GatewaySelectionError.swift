/// The gateway a command names is not in the site, or the site has several and none was named.
public struct GatewaySelectionError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
