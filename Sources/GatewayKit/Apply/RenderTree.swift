import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GatewayBase

/// Writes exactly the files apply would write, under a folder, so admins can read or diff them.
public enum RenderTree {
    /// Left in every folder render writes, so rendering there again is allowed and any other non-empty folder is not.
    public static let markerName = ".gwsetup-render"

    /// Returns the paths written, relative to `directory` (the marker not counted). Refuses `/` always, and a
    /// non-empty folder without the marker unless `force`: render must never overwrite a live system's configs.
    @discardableResult
    public static func write(_ desired: DesiredState, to directory: String, force: Bool = false) throws -> [String] {
        try checkTarget(directory, force: force)
        try FileAccess.createDirectory(at: directory)
        try FileAccess.write("This folder was written by `gwsetup render`, which may write here again.\n", to: directory + "/" + markerName)
        var written: [String] = []
        for file in desired.files {
            let target = directory + file.path
            let parent = (target as NSString).deletingLastPathComponent
            try refuseSymbolicLinks(from: directory, to: parent)
            try FileAccess.createDirectory(at: parent)
            try FileAccess.write(Data(file.content.utf8), to: target)
            guard chmod(target, mode_t(file.mode)) == 0 else {
                throw FileAccessError(path: target, action: "set the permissions of", reason: FileAccess.reason(errno: errno, reading: false))
            }
            written.append(file.path)
        }
        return written
    }

    /// The checks that run before anything is written: the folder is not the root, not a file, and ours or empty.
    static func checkTarget(_ directory: String, force: Bool) throws {
        guard !directory.isEmpty else { throw RenderTargetError("--output is empty; name a folder to render into") }
        let shown = Echo.inline(directory, limit: FileAccess.pathLimit)
        var info = stat()
        guard stat(directory, &info) == 0 else {
            guard errno == ENOENT else {
                throw FileAccessError(path: directory, action: "render into", reason: FileAccess.reason(errno: errno, reading: false))
            }
            return
        }
        if let resolved = realpath(directory, nil) {
            defer { free(resolved) }
            if String(cString: resolved) == "/" {
                throw RenderTargetError("\(shown) is the running system's root; render only writes a tree to read or diff (apply changes a host)")
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw RenderTargetError("\(shown): not a directory") }
        guard !force else { return }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw FileAccessError(path: directory, action: "read", reason: FileAccess.reason(for: error, reading: true))
        }
        guard entries.isEmpty || entries.contains(markerName) else {
            throw RenderTargetError("\(shown) is not empty and was not written by gwsetup render (no \(markerName) in it); choose an empty folder or pass --force")
        }
    }

    /// A symbolic link planted inside the output folder (`DIR/etc -> /etc`) would carry the write onto the live system.
    private static func refuseSymbolicLinks(from directory: String, to parent: String) throws {
        var current = directory
        for component in parent.dropFirst(directory.count).split(separator: "/") {
            current += "/" + component
            var info = stat()
            guard lstat(current, &info) == 0 else { return }
            if info.st_mode & S_IFMT == S_IFLNK {
                throw RenderTargetError("\(Echo.inline(current, limit: FileAccess.pathLimit)) is a symbolic link inside the output folder; render does not follow it")
            }
        }
    }
}
