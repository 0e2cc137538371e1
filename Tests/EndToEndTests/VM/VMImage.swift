import Foundation
@testable import GatewayKit

/// A cached Debian 12 image that a test boots; building it is Tests/vm/build-image.sh's job, so humans and tests share one recipe.
struct VMImage: Sendable, Hashable {
    /// Which recipe: a fresh droplet to apply to, or a community mesh router to join it.
    enum Kind: String, Sendable, Hashable, CaseIterable {
        case gateway
        case router
    }

    let kind: Kind
    /// The cache directory build-image.sh printed, e.g. /var/cache/gwsetup-vm/gateway-0123456789ab.
    let directory: String

    var disk: String { directory + "/disk.img" }
    var kernel: String { directory + "/vmlinuz" }
    var initrd: String { directory + "/initrd" }
    /// The key root's authorized_keys accepts; shared by every VM booted from this image.
    var privateKey: String { directory + "/id_ed25519" }
    /// The guest's ed25519 host key, baked into the image, so clients can check it strictly.
    var hostPublicKey: String { directory + "/ssh_host_ed25519_key.pub" }

    /// The repository's Tests/vm directory, found from this file so tests run from any working directory.
    static let scriptsDirectory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("vm").path
    }()

    /// Returns the cached image, building it first (a few minutes, serialised by the script's lock) when missing.
    static func ensure(_ kind: Kind) async throws -> VMImage {
        let script = scriptsDirectory + "/build-image.sh"
        let outcome = try await ProcessRunner.run(
            executable: "/bin/bash", arguments: [script, kind.rawValue], stdin: Data(), timeout: .seconds(1800))
        let printed = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.status == 0, !printed.isEmpty else {
            let why = String(decoding: outcome.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw VMError.imageBuildFailed(kind: kind, detail: why.isEmpty ? "exit \(outcome.status)" : why)
        }
        let image = VMImage(kind: kind, directory: printed.split(separator: "\n").last.map(String.init) ?? printed)
        for file in [image.disk, image.kernel, image.initrd, image.privateKey, image.hostPublicKey]
        where !FileManager.default.fileExists(atPath: file) {
            throw VMError.imageBuildFailed(kind: kind, detail: "\(file) is missing from the cache")
        }
        return image
    }
}
