import Foundation

/// Writes exactly the files apply would write, under a folder, so admins can read or diff them.
public enum RenderTree {
    /// Returns the paths written, relative to `directory`.
    @discardableResult
    public static func write(_ desired: DesiredState, to directory: String) throws -> [String] {
        let fileManager = FileManager.default
        var written: [String] = []
        for file in desired.files {
            let target = directory + file.path
            do {
                try fileManager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.content.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
                try fileManager.setAttributes([.posixPermissions: file.mode], ofItemAtPath: target)
            } catch {
                throw RenderError("cannot write \(target): \((error as NSError).localizedDescription)")
            }
            written.append(file.path)
        }
        return written
    }
}
