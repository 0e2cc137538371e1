import Foundation
import GatewayBase

/// Finds template text: the site's override folder first, then the bundled Templates/.
public struct TemplateStore: Sendable {
    public let bundledDirectory: String
    public let overrideDirectory: String?

    public init(bundledDirectory: String, overrideDirectory: String? = nil) {
        self.bundledDirectory = bundledDirectory
        self.overrideDirectory = overrideDirectory
    }

    /// `name` is the path below Templates/ without `.mustache` (e.g. `fastd/fastd.conf`).
    public func text(of name: String) throws -> (text: String, path: String) {
        for directory in [overrideDirectory, bundledDirectory].compactMap(\.self) {
            let path = "\(directory)/\(name).mustache"
            if FileManager.default.fileExists(atPath: path) {
                do {
                    return (try FileAccess.text(at: path), path)
                } catch {
                    throw RenderError("cannot read template \(path): \(error.reason)")
                }
            }
        }
        throw RenderError("template \(name).mustache is missing from \(bundledDirectory)")
    }
}

/// A template that cannot be found, parsed or filled.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
