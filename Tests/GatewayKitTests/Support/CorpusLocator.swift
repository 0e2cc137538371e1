import Foundation
import Testing

/// Finds the shared corpus of real community files: `GWSETUP_CORPUS`, or a `shared/corpus` beside some parent of this file (CI clones repo and shared/ side by side).
enum CorpusLocator {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The corpus root (the directory holding NOTES.md, gluon-site/ and iptables/).
    static func root(filePath: String = #filePath) throws -> URL {
        let fileManager = FileManager.default
        if let configured = ProcessInfo.processInfo.environment["GWSETUP_CORPUS"], !configured.isEmpty {
            let url = URL(fileURLWithPath: configured, isDirectory: true)
            guard fileManager.fileExists(atPath: url.appendingPathComponent("NOTES.md").path) else {
                throw NotFound(description: "GWSETUP_CORPUS=\(configured) has no NOTES.md; point it at the corpus directory (…/shared/corpus)")
            }
            return url
        }
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        var searched: [String] = []
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/corpus", isDirectory: true)
            searched.append(candidate.path)
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("NOTES.md").path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw NotFound(description: "corpus not found: set GWSETUP_CORPUS or put shared/corpus beside the repository (searched \(searched.joined(separator: ", ")))")
    }

    /// A corpus file by its path below the root, failing clearly if it is missing.
    static func file(_ relativePath: String) throws -> URL {
        let url = try root().appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw NotFound(description: "corpus file \(relativePath) is missing in \(try root().path)")
        }
        return url
    }

    /// Every file in a corpus folder whose name ends in `suffix`, sorted by name.
    static func files(in folder: String, suffix: String) throws -> [URL] {
        let directory = try root().appendingPathComponent(folder, isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory.appendingPathComponent($0) }
    }
}
