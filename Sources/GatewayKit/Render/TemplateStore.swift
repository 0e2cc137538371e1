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

    /// This process's binary: /proc/self/exe, since argv[0] is a bare name when gwsetup was found on PATH.
    public static var runningExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    }

    /// The bundled Templates/: `$GWSETUP_TEMPLATES`, else beside the executable (a checkout or
    /// `share/gwsetup` of an install), so a built binary works from any working directory.
    public static func locateBundled(executablePath: String = runningExecutable) -> String? {
        if let fromEnvironment = ProcessInfo.processInfo.environment["GWSETUP_TEMPLATES"] { return fromEnvironment }
        var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            for candidate in ["Templates", "share/gwsetup/Templates"] {
                let path = directory.appendingPathComponent(candidate).path
                if FileManager.default.fileExists(atPath: path + "/fastd/fastd.conf.mustache") { return path }
            }
            directory.deleteLastPathComponent()
        }
        let system = "/usr/share/gwsetup/Templates"
        return FileManager.default.fileExists(atPath: system) ? system : nil
    }
}

/// A template that cannot be found, parsed or filled.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
