import Foundation
import Testing
@testable import GatewayKit

/// The probe runs for real over SSH on loopback against this machine; it only reads, so that is safe.
@Suite("The facts probe reads a real host in one round trip", .serialized)
final class FactsProbeTests {
    let directory: String

    init() throws {
        directory = try Shell.temporaryDirectory()
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The admin check and the timezone ride on the same single probe: accounts with their UIDs, where /etc/localtime points.
    @Test func theProbeNamesSystemAccountsAndTheZoneInTheSameRoundTrip() async throws {
        let request = ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: [], timezone: true)
        let expectedZone = ProbeOutputParser.zone(linkedBy: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime")) ?? "")
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            let before = transport.statistics.roundTrips
            let facts = try await FactsProbe(request: request).gather(over: transport, logger: .init(label: "test"))
            #expect(transport.statistics.roundTrips - before == 1)
            try await transport.close()
            #expect(facts.systemAccounts["root"] == 0)
            #expect(facts.systemAccounts.values.allSatisfy { $0 < 1000 })
            #expect(facts.localtime == expectedZone)
        }
    }

    @Test func factsMatchWhatTheHostHasAndTakeOneRoundTrip() async throws {
        let managed = "\(directory)/managed.conf"
        let content = "line one\n\tindented\tline\n"
        try content.write(toFile: managed, atomically: true, encoding: .utf8)
        chmod(managed, 0o640)
        let secretPath = "\(directory)/secret.conf"
        let made = try await LocalShell(root: .asIs).run("s=$(fastd --generate-key --machine-readable 2>/dev/null) && umask 077 && printf 'secret \"%s\";\\n' \"$s\" > \(ShellQuote.quote(secretPath)) && fastd --config \(ShellQuote.quote(secretPath)) --show-key --machine-readable")
        #expect(made.status == 0, "fastd missing: run Tests/setup.sh (\(made.stderrText))")
        let publicKey = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = try String(contentsOfFile: secretPath, encoding: .utf8).split(separator: "\"")[1]
        let request = ProbeRequest(
            files: [managed, "\(directory)/absent.conf"], units: [], sysctlKeys: ["net.ipv4.ip_forward", "net.ipv4.ip_local_port_range", "net.no.such.key"],
            modules: [], fastdKeys: [FastdKey(instance: "ffx", secretPath: secretPath), FastdKey(instance: "none", secretPath: "\(directory)/none.conf")])

        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            let raw = try await transport.run(ProbeScript.make(for: request))
            #expect(!raw.stdoutText.contains(String(secret)), "the fastd secret left the host")
            let before = transport.statistics.roundTrips
            let facts = try await FactsProbe(request: request).gather(over: transport, logger: .init(label: "test"))
            #expect(transport.statistics.roundTrips - before == 1)
            try await transport.close()

            #expect(facts.files[managed] == FileFact(sha256: SHA256Digest.hex(content), mode: 0o640, owner: "root", group: "root", content: content))
            #expect(facts.files["\(directory)/absent.conf"] == nil)
            let forward = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            // A multi-digit pair with a tab: /proc/sys answers one read only, so a byte-wise read would see "3".
            let range = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\t", with: " ")
            #expect(facts.sysctl == ["net.ipv4.ip_forward": forward, "net.ipv4.ip_local_port_range": range])
            #expect(facts.fastdPublicKeys == ["ffx": publicKey])
            let dpkg = try await LocalShell(root: .asIs).run("dpkg-query -W -f='${Version}' openssh-server")
            #expect(facts.packages["openssh-server"] == dpkg.stdoutText)
            #expect(facts.users.contains("root"))
            let modules = ((try? String(contentsOfFile: "/proc/modules", encoding: .utf8)) ?? "").split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(facts.loadedModules == Set(modules))
            #expect(facts.rulesV4 != nil, "iptables-save is installed, so its output (even empty) is a fact")
        }
    }

    @Test func theSameHostProbedTwiceGivesTheSameDigest() async throws {
        let request = ProbeRequest(files: ["/etc/hostname"], units: [], sysctlKeys: ["net.ipv4.ip_forward"], modules: [], fastdKeys: [])
        let first = try await FactsProbe(request: request).gather(over: LocalShell(root: .asIs), logger: .init(label: "test"))
        let second = try await FactsProbe(request: request).gather(over: LocalShell(root: .asIs), logger: .init(label: "test"))
        #expect(first.files["/etc/hostname"] != nil)
        #expect(Planner.digest(first) == Planner.digest(second), "a saved plan would always look stale")
    }
}
