import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// A fresh fastd key pair from the real fastd, as an admin's password manager would hold it.
struct RealFastdKey {
    let secret: String
    let publicKey: String

    static func generate() throws -> RealFastdKey {
        let secret = try Shell.run("fastd --generate-key --machine-readable")
        try #require(secret.status == 0, "fastd --generate-key failed: \(secret.output)")
        let hex = secret.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "secret \"\(hex)\";\n".write(toFile: folder + "/secret.conf", atomically: true, encoding: .utf8)
        let shown = try Shell.run("fastd --config \(folder)/secret.conf --show-key --machine-readable")
        try #require(shown.status == 0, "fastd --show-key failed: \(shown.output)")
        return RealFastdKey(secret: hex, publicKey: shown.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

@Suite struct FastdPublicKeyTests {
    @Test func theDerivedKeyIsTheOneFastdShows() throws {
        for _ in 0..<24 {
            let key = try RealFastdKey.generate()
            #expect(try FastdPublicKey.derive(fromSecretHex: key.secret) == key.publicKey, "secret of \(key.publicKey)")
        }
    }

    @Test func unsanitisedSecretsDeriveAsFastdSanitisesThem() throws {
        // fastd clears and sets the same bits whatever the file says; a secret with them flipped shows the same key.
        let key = try RealFastdKey.generate()
        var bytes = stride(from: 0, to: 64, by: 2).map { UInt8(key.secret.dropFirst($0).prefix(2), radix: 16)! }
        bytes[0] |= 0x07
        bytes[31] |= 0x80
        bytes[31] &= 0xbf
        let flipped = bytes.map { String(format: "%02x", $0) }.joined()
        #expect(try FastdPublicKey.derive(fromSecretHex: flipped) == key.publicKey)
    }

    @Test func secretFilesAreReadInFastdsFormatOrAsBareDigits() {
        let hex = String(repeating: "ab", count: 32)
        #expect(FastdPublicKey.secretHex(inFile: "secret \"\(hex)\";\n") == hex)
        #expect(FastdPublicKey.secretHex(inFile: hex.uppercased() + "\n") == hex)
        #expect(FastdPublicKey.secretHex(inFile: "secret \"\(hex)\"") == nil)
        #expect(FastdPublicKey.secretHex(inFile: "secret \"\(hex.dropLast())\";") == nil)
        #expect(FastdPublicKey.secretHex(inFile: "") == nil)
        #expect(throws: FastdPublicKey.Failure.notASecret) { try FastdPublicKey.derive(fromSecretHex: "xyz") }
    }
}

/// Sites naming a secret file: the file is read on the admin's machine and checked against the pin, errors at the key.
@Suite struct FastdSecretFileSiteTests {
    static func site(pin: String?, secretFile: String?) -> String {
        var entry = "ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\""
        if let pin { entry += ", fastd_public_key: \(pin)" }
        if let secretFile { entry += ", fastd_secret_file: \(secretFile)" }
        return MinimalSite.identity + MinimalSite.domains + "gateways:\n  - name: gw1\n    addresses:\n      \(entry)}\n"
    }

    func pipeline(_ yaml: String, files: [String: String] = [:]) throws -> (SitePipeline, ScratchFolder) {
        let folder = try ScratchFolder()
        for (name, content) in files { try folder.write(name, content) }
        let path = try folder.write("site.yaml", yaml)
        return (try SitePipeline(sitePath: path, bundledTemplates: TestPaths.repository + "/Templates"), folder)
    }

    @Test func aSecretFileRelativeToTheSiteGivesItsPublicKeyAndAbsolutePath() throws {
        let key = try RealFastdKey.generate()
        let (pipeline, folder) = try pipeline(Self.site(pin: key.publicKey, secretFile: "secrets/ffx.key"),
                                              files: [:])
        defer { folder.cleanup() }
        try FileManager.default.createDirectory(atPath: folder.path + "/secrets", withIntermediateDirectories: true)
        try folder.write("secrets/ffx.key", "secret \"\(key.secret)\";\n")
        let desired = try pipeline.desiredState(for: try #require(pipeline.site.gateway("gw1")))
        #expect(desired.fastdKeys == [FastdKey(instance: "ffx", secretPath: "/etc/fastd/ffx/secret.conf", publicKey: key.publicKey,
                                               secretFile: folder.path + "/secrets/ffx.key")])
    }

    @Test func aMissingUnreadableOrMismatchingSecretFileIsASiteErrorAtItsKey() throws {
        let key = try RealFastdKey.generate()
        let other = try RealFastdKey.generate()
        let column = "      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_public_key: \(key.publicKey), fastd_secret_file: ".count + 1
        let cases: [(files: [String: String], message: (String) -> String)] = [
            ([:], { "cannot read fastd secret file \($0)/ffx.key: no such file" }),
            (["ffx.key": "not a secret\n"], { "\($0)/ffx.key is not a fastd secret file (expected 'secret \"<64 hex digits>\";' as fastd --generate-key makes)" }),
            (["ffx.key": "secret \"\(other.secret)\";\n"],
             { "the secret in \($0)/ffx.key has public key \(other.publicKey), but the site pins \(key.publicKey) for gw1 in domain ffx" }),
        ]
        for (files, message) in cases {
            let (pipeline, folder) = try pipeline(Self.site(pin: key.publicKey, secretFile: "ffx.key"), files: files)
            defer { folder.cleanup() }
            let error = try #require(throws: SiteErrors.self) { try pipeline.desiredState(for: try #require(pipeline.site.gateway("gw1"))) }
            #expect(error.description == "\(folder.path)/site.yaml:9:\(column): \(message(folder.path))")
            // Decided outside #expect, so a failure report never prints the secret it compared.
            let leaked = error.description.contains(other.secret) || error.description.contains(key.secret)
            #expect(!leaked, "the error quotes the secret")
        }
    }

    @Test func aSecretFilePathStartingWithADashIsRefusedWhereItIsWritten() {
        expectSiteErrors(MinimalSite.identity + MinimalSite.domains + """
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1", fastd_secret_file: ⟨-rf}

            """, "'fastd_secret_file' '-rf' starts with '-'")
    }
}

/// What plan does with pinned keys and secret files; the gateway's key comes from the probe (`fastd --show-key`).
@Suite struct FastdKeyPlanTests {
    let pinned = String(repeating: "a", count: 64)
    let other = String(repeating: "b", count: 64)

    func desired(publicKey: String?, secretFile: String? = nil) throws -> DesiredState {
        var desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1")
        desired.fastdKeys[0].publicKey = publicKey
        desired.fastdKeys[0].secretFile = secretFile
        return desired
    }

    func keyChanges(_ desired: DesiredState, holding key: String?) throws -> [PlannedChange] {
        var facts = convergedFacts(desired)
        facts.fastdPublicKeys["ffx"] = key
        try FastdKeyCheck.check(desired, against: facts)
        return Planner.plan(desired, against: facts).changes.filter { $0.kind == .fastdKey }
    }

    @Test func aPinnedKeyTheGatewayHoldsChangesNothing() throws {
        #expect(try keyChanges(desired(publicKey: pinned), holding: pinned).isEmpty)
    }

    @Test func aGatewayHoldingAnotherKeyThanThePinIsAnErrorNamingBoth() throws {
        let error = try #require(throws: FastdKeyMismatch.self) { try keyChanges(desired(publicKey: pinned), holding: other) }
        #expect(error.description == "gw1: fastd instance ffx holds public key \(other), but the site pins \(pinned) (fastd_public_key); "
            + "fix the pin, or name the pinned key's secret with fastd_secret_file")
    }

    @Test func aPinWithoutASecretNeverGeneratesOne() throws {
        let error = try #require(throws: FastdKeyMismatch.self) { try keyChanges(desired(publicKey: pinned), holding: nil) }
        #expect(error.held == nil && error.description.contains("has no secret, and the site pins public key \(pinned)"))
    }

    @Test func aSecretFileIsInstalledWhereTheGatewayHasNoneOrAnother() throws {
        let fresh = try keyChanges(desired(publicKey: pinned, secretFile: "/keys/ffx.key"), holding: nil)
        #expect(fresh.map(\.action) == [.add])
        #expect(fresh.first?.resource == "/etc/fastd/ffx/secret.conf")
        #expect(fresh.first?.reason == "installs the site's secret file for fastd instance ffx (public key \(pinned))")
        #expect(fresh.first?.triggers == [.restart("fastd@ffx.service")])
        let replaced = try keyChanges(desired(publicKey: pinned, secretFile: "/keys/ffx.key"), holding: other)
        #expect(replaced.map(\.action) == [.change])
        #expect(replaced.first?.reason.hasPrefix("the gateway holds public key \(other); ") == true)
        #expect(try keyChanges(desired(publicKey: pinned, secretFile: "/keys/ffx.key"), holding: pinned).isEmpty)
    }

    @Test func onlyAnUnpinnedInstanceWithoutASecretGetsAGeneratedKey() throws {
        let generated = try keyChanges(desired(publicKey: nil), holding: nil)
        #expect(generated.map(\.reason) == ["no secret for fastd instance ffx; generated on the gateway, never copied off it"])
        #expect(try keyChanges(desired(publicKey: nil), holding: other).isEmpty)
    }
}
