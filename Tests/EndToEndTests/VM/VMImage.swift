import Foundation
@testable import GatewayKit

/// A cached Debian 12 image that a test boots; building a base image is Tests/vm/build-image.sh's job, so humans and
/// tests share one recipe, and the converged gateway is built on top of it by `ConvergedGatewayImage`.
struct VMImage: Sendable, Hashable {
    /// Which recipe: a fresh droplet to apply to, a gateway already converged to vm-site.yaml, or a mesh router.
    enum Kind: String, Sendable, Hashable, CaseIterable {
        case gateway
        case router
        case convergedGateway = "converged-gateway"
    }

    let kind: Kind
    /// The disk qemu boots (always under -snapshot in a test, so the cached file stays as it was built).
    let disk: String
    /// `raw` for the base images, `qcow2` for the converged gateway (an overlay whose backing file is the base disk).
    let diskFormat: String
    /// The base image's cache directory, e.g. /var/cache/gwsetup-vm/gateway-0123456789ab: kernel, initrd and keys.
    let baseDirectory: String

    var kernel: String { baseDirectory + "/vmlinuz" }
    var initrd: String { baseDirectory + "/initrd" }
    /// The key root's authorized_keys accepts; shared by every VM booted from this image.
    var privateKey: String { baseDirectory + "/id_ed25519" }
    /// The guest's ed25519 host key as the base image was built (a converged overlay gets a new one per boot).
    var hostPublicKey: String { baseDirectory + "/ssh_host_ed25519_key.pub" }
    /// Whether each boot must renew the keys that identify a gateway, because every overlay starts as the same machine.
    var sharesAnIdentity: Bool { kind == .convergedGateway }

    /// The repository's Tests/vm directory, found from this file so tests run from any working directory.
    static let scriptsDirectory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("vm").path
    }()

    /// Where images and the VM budget's locks live; `GWSETUP_VM_CACHE` moves it, as it does for build-image.sh.
    static var cacheDirectory: String {
        ProcessInfo.processInfo.environment["GWSETUP_VM_CACHE"] ?? "/var/cache/gwsetup-vm"
    }

    /// Returns the cached image, building it first (minutes, serialised by a lock per kind) when missing.
    static func ensure(_ kind: Kind) async throws -> VMImage {
        if kind == .convergedGateway { return try await ConvergedGatewayImage.ensure() }
        let script = scriptsDirectory + "/build-image.sh"
        let outcome = try await ProcessRunner.run(
            executable: "/bin/bash", arguments: [script, kind.rawValue], stdin: Data(), timeout: .seconds(1800))
        let printed = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.status == 0, !printed.isEmpty else {
            let why = String(decoding: outcome.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw VMError.imageBuildFailed(kind: kind, detail: why.isEmpty ? "exit \(outcome.status)" : why)
        }
        let directory = printed.split(separator: "\n").last.map(String.init) ?? printed
        let image = VMImage(kind: kind, disk: directory + "/disk.img", diskFormat: "raw", baseDirectory: directory)
        for file in [image.disk, image.kernel, image.initrd, image.privateKey, image.hostPublicKey]
        where !FileManager.default.fileExists(atPath: file) {
            throw VMError.imageBuildFailed(kind: kind, detail: "\(file) is missing from the cache")
        }
        return image
    }
}
