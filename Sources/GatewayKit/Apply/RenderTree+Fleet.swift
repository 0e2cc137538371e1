import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GatewayBase

extension RenderTree {
    /// The top folder of a fleet render: checked and marked like a one-gateway folder, and no gateway's folder in
    /// it may be a symbolic link (a planted `DIR/gw1 -> /` would carry the write onto the live system).
    static func prepareFleetFolder(_ directory: String, gateways: [String], force: Bool) throws {
        try checkTarget(directory, force: force)
        try FileAccess.createDirectory(at: directory)
        try FileAccess.write("This folder was written by `gwsetup render`, which may write here again.\n", to: directory + "/" + markerName)
        for gateway in gateways {
            var info = stat()
            let folder = directory + "/" + gateway
            if lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw RenderTargetError("\(Echo.inline(folder, limit: FileAccess.pathLimit)) is a symbolic link inside the output folder; render does not follow it")
            }
        }
    }
}
