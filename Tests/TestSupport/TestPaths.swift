import Foundation

/// Paths into the repository, found from this file so tests run from any working directory; shared by every test target.
public enum TestPaths {
    public static var repository: String {
        var url = #filePath.split(separator: "/").dropLast()
        while !url.isEmpty, url.last != "Tests" { url = url.dropLast() }
        return "/" + url.dropLast().joined(separator: "/")
    }
    public static func example(_ name: String) -> String { repository + "/site-examples/" + name }
    /// The gwsetup binary built beside this test bundle (whatever scratch path the build used).
    public static var gwsetupBinary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("gwsetup").path
    }
}
