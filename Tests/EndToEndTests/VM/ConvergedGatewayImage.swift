import Foundation
@testable import GatewayKit

/// The bare gateway image after one `gwsetup apply` of vm-site.yaml, kept as a qcow2 overlay of the base disk: every
/// scenario that does not test a first apply boots a throwaway overlay of it instead of converging a fresh VM again.
enum ConvergedGatewayImage {
    /// The site the image is converged to; scenarios that start from it apply this site or one changed from it.
    static let site = GwsetupCLI.fixture("vm-site.yaml")

    /// Returns the cached converged image, building it (one guest of the budget, a first apply) when its key is new.
    static func ensure() async throws -> VMImage {
        let base = try await VMImage.ensure(.gateway)
        let key = try await recipeKey(base: base)
        let cache = VMImage.cacheDirectory
        let final = "\(cache)/\(VMImage.Kind.convergedGateway.rawValue)-\(key)"
        let image = VMImage(kind: .convergedGateway, disk: final + "/disk.qcow2", diskFormat: "qcow2",
                            baseDirectory: base.baseDirectory)
        let lock = try await VMBudget.lock("converged-gateway-image")
        defer { close(lock) }
        if FileManager.default.fileExists(atPath: final + "/complete") {
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: final)
            return image
        }
        let started = ContinuousClock.now
        let work = "\(cache)/.building-converged-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await shell("qemu-img create -q -f qcow2 -F raw -b \(ShellQuote.quote(base.disk)) \(ShellQuote.quote(work + "/disk.qcow2"))")
        let building = VMImage(kind: .gateway, disk: work + "/disk.qcow2", diskFormat: "qcow2", baseDirectory: base.baseDirectory)
        let spec = VMSpec(.gateway, name: "gwvm", persistent: true)  // the alias vm-site.yaml names
        try await VMBudget.withGuests(1, for: "converged gateway image") {
            let vm = try await TestVM.boot(spec, image: building)
            defer { vm.stop() }
            let apply = try await GwsetupCLI.run(["apply", "--yes", "--site", site, "--ssh-config", vm.sshConfigFile])
            guard apply.status == 0 else { throw VMError.imageBuildFailed(kind: .convergedGateway, detail: "apply failed:\n\(apply.output)") }
            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site, "--ssh-config", vm.sshConfigFile])
            guard plan.status == 0 else { throw VMError.imageBuildFailed(kind: .convergedGateway, detail: "plan after apply is not empty:\n\(plan.output)") }
            try await vm.powerOff()
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        try "key=\(key)\nbase=\(base.baseDirectory)\ntotal_seconds=\(seconds)\n".write(toFile: work + "/build-info", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: work + "/complete", contents: nil)
        try? FileManager.default.removeItem(atPath: final)
        try FileManager.default.moveItem(atPath: work, toPath: final)
        FileHandle.standardError.write(Data("VM image converged-gateway-\(key): built in \(seconds) s\n".utf8))
        try await shell("find \(ShellQuote.quote(cache)) -mindepth 1 -maxdepth 1 -type d -name 'converged-gateway-*' ! -path \(ShellQuote.quote(final)) -mtime +2 -exec rm -rf {} +")
        return image
    }

    /// Everything that shapes the converged disk: the base image, the site, the Templates, the sources gwsetup is built
    /// from, and this recipe. A change to any of them converges a new image; nothing else does.
    static func recipeKey(base: VMImage) async throws -> String {
        let repository = GwsetupCLI.repository
        let recipe = URL(fileURLWithPath: #filePath).path
        let listing = try await shell("""
            cd \(ShellQuote.quote(repository)) && {
              echo \(ShellQuote.quote(base.baseDirectory));
              find Sources Templates Package.swift Package.resolved \(ShellQuote.quote(site)) \(ShellQuote.quote(recipe)) -type f -print0 \
                | LC_ALL=C sort -z | xargs -0 sha256sum;
            } | sha256sum | cut -c1-12
            """)
        return listing.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a host shell command and returns its stdout, throwing with its stderr when it fails.
    @discardableResult
    private static func shell(_ command: String) async throws -> String {
        let outcome = try await ProcessRunner.run(executable: "/bin/sh", arguments: ["-c", command], stdin: Data(), timeout: .seconds(300))
        guard outcome.status == 0 else {
            throw VMError.imageBuildFailed(kind: .convergedGateway,
                                           detail: "`\(command)`: \(String(decoding: outcome.stderr, as: UTF8.self))")
        }
        return String(decoding: outcome.stdout, as: UTF8.self)
    }
}
