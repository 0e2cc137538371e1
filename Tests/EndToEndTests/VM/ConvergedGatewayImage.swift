import Foundation
@testable import GatewayKit

/// The bare gateway image after one `gwsetup apply` of vm-site.yaml, kept as a qcow2 overlay of the base disk: every
/// scenario that does not test a first apply boots a throwaway overlay of it instead of converging a fresh VM again.
/// The first-apply scenario publishes its own gateway as this image, so a run without the cache converges one VM, not two.
enum ConvergedGatewayImage {
    /// The site the image is converged to; scenarios that start from it apply this site or one changed from it.
    static let site = GwsetupCLI.fixture("vm-site.yaml")
    /// The ssh alias vm-site.yaml names; the guest that converges the image must answer to it.
    static let alias = "gwvm"
    /// What shapes the disk besides the sources: this recipe and the first-apply scenario, which may publish its gateway.
    static let recipeFiles = [URL(fileURLWithPath: #filePath).path, GwsetupCLI.repository + "/Tests/EndToEndTests/ApplyEndToEndTests.swift"]

    /// Returns the cached converged image. When its key is new it waits for a first-apply scenario that promised to
    /// publish one (`withFirstApplyClaim`), and converges a VM of its own (one guest of the budget) only when none did.
    static func ensure() async throws -> VMImage {
        let base = try await VMImage.ensure(.gateway)
        let final = try await finalDirectory(base: base)
        let image = VMImage(kind: .convergedGateway, disk: final + "/disk.qcow2", diskFormat: "qcow2", baseDirectory: base.baseDirectory)
        if isComplete(final) { return image }
        // A running first-apply scenario publishes its gateway when done: wait for it rather than converge a second VM.
        close(try await VMBudget.lock("converged-first-apply"))
        let lock = try await VMBudget.lock("converged-gateway-image")
        let found = isComplete(final)
        close(lock)
        if found { return image }

        let started = ContinuousClock.now
        let work = try newWorkDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await VMBudget.withGuests(1, for: "converged gateway image") {
            let vm = try await TestVM.boot(VMSpec(.gateway, name: alias, overlay: work + "/disk.qcow2"), image: base)
            defer { vm.stop() }
            let apply = try await GwsetupCLI.run(["apply", "--yes", "--site", site, "--ssh-config", vm.sshConfigFile])
            guard apply.status == 0 else { throw VMError.imageBuildFailed(kind: .convergedGateway, detail: "apply failed:\n\(apply.output)") }
            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site, "--ssh-config", vm.sshConfigFile])
            guard plan.status == 0 else { throw VMError.imageBuildFailed(kind: .convergedGateway, detail: "plan after apply is not empty:\n\(plan.output)") }
            try await vm.powerOff()
        }
        _ = try await publish(work: work, as: final, base: base, startedAt: started)
        return image
    }

    /// Runs `body` (the first-apply scenario) holding the promise that it will publish its gateway, so `ensure()` in
    /// other scenarios waits for it instead of converging a VM of its own.
    static func withFirstApplyClaim<T>(_ body: () async throws -> T) async throws -> T {
        let claim = try await VMBudget.lock("converged-first-apply")
        defer { close(claim) }
        return try await body()
    }

    /// A directory in the cache for a gateway about to be converged; its overlay (`disk.qcow2`) lives there until
    /// `publish` moves the whole directory into place. The caller removes it when it was not published.
    static func newWorkDirectory() throws -> String {
        let work = "\(VMImage.cacheDirectory)/.building-converged-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        return work
    }

    /// Makes the powered-off overlay in `work` the converged image `final` (`finalDirectory`, keyed before the guest
    /// was converged, so a source edited meanwhile cannot mislabel it), unless one is cached already; returns the
    /// published disk, or nil when `work` stays the caller's. The image appears by rename only when complete.
    static func publish(work: String, as final: String, base: VMImage, startedAt started: ContinuousClock.Instant) async throws -> String? {
        let lock = try await VMBudget.lock("converged-gateway-image")
        defer { close(lock) }
        if isComplete(final) { return nil }
        let seconds = (ContinuousClock.now - started).components.seconds
        try "key=\(URL(fileURLWithPath: final).lastPathComponent)\nbase=\(base.baseDirectory)\ntotal_seconds=\(seconds)\n"
            .write(toFile: work + "/build-info", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: work + "/complete", contents: nil)
        try? FileManager.default.removeItem(atPath: final)
        try FileManager.default.moveItem(atPath: work, toPath: final)
        FileHandle.standardError.write(Data("VM image \(URL(fileURLWithPath: final).lastPathComponent): converged in \(seconds) s\n".utf8))
        let cache = VMImage.cacheDirectory
        try await shell("find \(ShellQuote.quote(cache)) -mindepth 1 -maxdepth 1 -type d -name 'converged-gateway-*' ! -path \(ShellQuote.quote(final)) -mtime +2 -exec rm -rf {} +")
        return final + "/disk.qcow2"
    }

    /// `<cache>/converged-gateway-<key>`: where this build's converged image lives once published.
    static func finalDirectory(base: VMImage) async throws -> String {
        "\(VMImage.cacheDirectory)/\(VMImage.Kind.convergedGateway.rawValue)-\(try await recipeKey(base: base))"
    }

    /// Whether the image in `directory` is whole; touching it keeps the clean-up of old keys from taking one in use.
    static func isComplete(_ directory: String) -> Bool {
        guard FileManager.default.fileExists(atPath: directory + "/complete") else { return false }
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: directory)
        return true
    }

    /// Everything that shapes the converged disk: the base image, the site, the Templates, the sources gwsetup is built
    /// from, and the recipe files. A change to any of them converges a new image; nothing else does.
    static func recipeKey(base: VMImage) async throws -> String {
        let repository = GwsetupCLI.repository
        // Paths relative to the checkout, so two checkouts of the same content share one image.
        let relative = ([site] + recipeFiles).map { path in
            ShellQuote.quote(path.hasPrefix(repository + "/") ? String(path.dropFirst(repository.count + 1)) : path)
        }
        let listing = try await shell("""
            cd \(ShellQuote.quote(repository)) && {
              echo \(ShellQuote.quote(base.baseDirectory));
              find Sources Templates Package.swift Package.resolved \(relative.joined(separator: " ")) -type f -print0 \
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
