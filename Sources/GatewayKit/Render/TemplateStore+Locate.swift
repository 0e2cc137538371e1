import Foundation

/// Where the bundled Templates/ are, so a copied, installed or `swift run` binary needs no environment variable.
extension TemplateStore {
    /// This process's binary: /proc/self/exe, since argv[0] is a bare name when gwsetup was found on PATH.
    public static var runningExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    }

    /// The Debian package's folder, used whatever path the binary was started from.
    public static let systemTemplates = "/usr/share/gwsetup/Templates"

    /// The first of: `$GWSETUP_TEMPLATES`; `../share/gwsetup/Templates` from the executable's folder (an install
    /// under any prefix); a `Templates/` in a folder above the executable (a checkout's `.build/…/gwsetup`);
    /// ``systemTemplates``. Symbolic links to the executable are followed first.
    public static func locateBundled(executablePath: String = runningExecutable,
                                     environment: [String: String] = ProcessInfo.processInfo.environment,
                                     systemDirectory: String = systemTemplates) -> String? {
        if let fromEnvironment = environment["GWSETUP_TEMPLATES"], !fromEnvironment.isEmpty { return fromEnvironment }
        let binaryFolder = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = binaryFolder.deletingLastPathComponent().appendingPathComponent("share/gwsetup/Templates").path
        if holdsTemplates(installed) { return installed }
        var directory = binaryFolder
        for _ in 0..<8 {
            let checkout = directory.appendingPathComponent("Templates").path
            if holdsTemplates(checkout) { return checkout }
            if directory.path == "/" { break }
            directory.deleteLastPathComponent()
        }
        return holdsTemplates(systemDirectory) ? systemDirectory : nil
    }

    /// A folder counts only when it has a template every site renders, not merely a name that matches.
    static func holdsTemplates(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/fastd/fastd.conf.mustache")
    }
}
