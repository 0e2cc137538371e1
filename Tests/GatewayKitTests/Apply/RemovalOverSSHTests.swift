import Foundation
import Testing
@testable import GatewayKit

/// Nested in the apply suite, whose tests take the machine's one gateway lock (/run/gwsetup.lock): serialized with them.
extension ApplyOverSSHTests {
    /// Real applies over SSH on loopback of a site that later drops a domain's file and an overwritten file. Every owned
    /// path and the manifest lie below a scratch folder (the policy's root), so nothing of this machine's /etc is touched.
    @Suite("what the site drops is removed over SSH, originals come back, and nothing else is touched", .serialized)
    final class RemovalOverSSHTests {
        let root: String
        let policy: OwnershipPolicy

        init() throws {
            root = try Shell.temporaryDirectory()
            policy = OwnershipPolicy(root: root)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: OwnershipManifest.backupDirectory + root)
        }

        func desired(domains: [String]) -> DesiredState {
            var files = domains.map { ManagedFile(path: "\(root)/etc/fastd/\($0)/fastd.conf", content: "interface \"vpn-\($0)\";\n") }
            if domains.count > 1 { files.append(ManagedFile(path: "\(root)/etc/timezone", content: "Europe/Berlin\n")) }
            return DesiredState(gateway: "gw1", packages: [], users: [], files: files, sysctl: [], modules: [], fastdKeys: [], units: [])
        }

        func applier(_ desired: DesiredState) -> GatewayApplier {
            var applier = GatewayApplier(desired: desired, logger: .init(label: "test"))
            applier.ownership = policy
            return applier
        }

        func read(_ path: String) -> String? {
            FileManager.default.contents(atPath: root + path).map { String(decoding: $0, as: UTF8.self) }
        }

        @Test func aDroppedFileIsDeletedAnOverwrittenOneRestoredAndAHandPlacedOneUntouched() async throws {
            let handPlaced = "/etc/fastd/ffy/peers/node1"
            try FileManager.default.createDirectory(atPath: root + "/etc/fastd/ffy/peers", withIntermediateDirectories: true)
            try "key \"abc\";\n".write(toFile: root + handPlaced, atomically: true, encoding: .utf8)
            try "Etc/UTC\n".write(toFile: root + "/etc/timezone", atomically: true, encoding: .utf8)
            try await SSHServer.with { server in
                let transport = try server.transport()
                try await transport.connect()
                defer { Task { try? await transport.close() } }

                let both = applier(desired(domains: ["ffx", "ffy"]))
                let first = try await both.plan(against: .transport(transport))
                #expect(try await both.apply(first.plan, facts: first.facts, over: transport).succeeded)
                #expect(read("/etc/timezone") == "Europe/Berlin\n")
                let manifestMode = try FileManager.default.attributesOfItem(atPath: policy.manifestPath)[.posixPermissions] as? Int
                #expect(manifestMode == 0o600)
                let recorded = try await both.plan(against: .transport(transport))
                #expect(recorded.plan.isEmpty)
                #expect(recorded.facts.manifest.files == [OwnedFile(path: root + "/etc/fastd/ffx/fastd.conf", restore: false),
                                                          OwnedFile(path: root + "/etc/fastd/ffy/fastd.conf", restore: false),
                                                          OwnedFile(path: root + "/etc/timezone", restore: true)])

                let one = applier(desired(domains: ["ffx"]))
                let second = try await one.plan(against: .transport(transport))
                #expect(second.plan.changes.map { "\(PlanPrinter.symbol($0.action)) \($0.resource)" } == [
                    "- \(root)/etc/fastd/ffy/fastd.conf", "- \(root)/etc/timezone"])
                #expect(second.plan.summaryText.hasPrefix("0 to add, 0 to change, 2 to destroy"))
                let report = try await one.apply(second.plan, facts: second.facts, over: transport)
                #expect(report.succeeded)
                #expect(report.completed.map(\.step.title) == [
                    "remove-file \(root)/etc/fastd/ffy/fastd.conf", "restore-file \(root)/etc/timezone",
                    "remove-directory \(root)/etc/fastd/ffy", "manifest \(policy.manifestPath)"])
                #expect(read("/etc/fastd/ffy/fastd.conf") == nil)
                #expect(read("/etc/fastd/ffx/fastd.conf") == "interface \"vpn-ffx\";\n")
                #expect(read("/etc/timezone") == "Etc/UTC\n", "the original came back")
                #expect(!FileManager.default.fileExists(atPath: OwnershipManifest.backupDirectory + root + "/etc/timezone"))
                #expect(read(handPlaced) == "key \"abc\";\n", "a file gwsetup did not write is untouched, and so is its folder")

                let third = try await one.plan(against: .transport(transport))
                #expect(third.plan.isEmpty, "the manifest was rewritten without what was removed")
                #expect(third.facts.manifest.files.map(\.path) == [root + "/etc/fastd/ffx/fastd.conf"])
            }
        }

        @Test func aTamperedManifestRemovesNothingItDoesNotOwn() async throws {
            let handPlaced = root + "/etc/fastd/ffy/peers/node1"
            try FileManager.default.createDirectory(atPath: root + "/etc/fastd/ffy/peers", withIntermediateDirectories: true)
            try "key\n".write(toFile: handPlaced, atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: root + "/var/lib/gwsetup", withIntermediateDirectories: true)
            let forged = #"{"version":1,"files":[{"path":"\#(handPlaced)","restore":false},{"path":"\#(root)/etc/fastd/../../etc/passwd","restore":false}],"users":["root"]}"#
            try forged.write(toFile: policy.manifestPath, atomically: true, encoding: .utf8)
            try await SSHServer.with { server in
                let transport = try server.transport()
                try await transport.connect()
                defer { Task { try? await transport.close() } }
                let one = applier(desired(domains: ["ffx"]))
                let (facts, plan) = try await one.plan(against: .transport(transport))
                #expect(facts.manifest == OwnershipManifest())
                #expect(facts.warnings.count == 3)
                #expect(plan.changes.map(\.action) == [.add])
                #expect(try await one.apply(plan, facts: facts, over: transport).succeeded)
                #expect(FileManager.default.fileExists(atPath: handPlaced))
            }
        }
    }
}
