/// Something legal but probably regretted (an MTU below 1312), printed but not fatal.
public struct SiteWarning: Sendable, Equatable, CustomStringConvertible {
    public let location: SourceLocation?
    public let message: String

    public var description: String {
        "warning: " + (location.map { "\($0): \(message)" } ?? message)
    }
}
