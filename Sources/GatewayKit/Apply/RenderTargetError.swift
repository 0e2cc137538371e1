/// An output folder render refuses to write into (the root, a file, someone else's folder, a planted link).
public struct RenderTargetError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
