import Crypto
import Foundation
import Testing
@testable import GatewayKit

/// The clients' exit through a WireGuard tunnel, on three VMs: the gateway (an overlay of the converged image), a
/// router whose client uses it, and a third VM reached only through the gateway's uplink that plays the exit server,
/// with "the internet" (an HTTP server that logs source addresses) behind it.
@Suite(.serialized, .timeLimit(.minutes(40)))
struct ExitEndToEndTests {
    /// The exit server's address on its internet side, which its HTTP server must log as the source.
    static let exitAddress = "198.51.100.1"
    static let internetPage = "http://198.51.100.80:8080/index.html"

    @Test("A site with an exit: apply makes the tunnel's key on the gateway (0600, only its public half printed); the router's client fetches a page whose server logs the exit's address, and the gateway's uplink carries only the tunnel's outer packets; with the tunnel down the client reaches nothing, not even the host its uplink could reach, while the gateway does, and the agent, probing through the exit, drains the gateway and serves again when it is back; verify holds live and names the exit's NAT rule removed by hand")
    func clientsLeaveThroughTheExit() async throws {
        let environment = ["GWSETUP_AGENT": try await StaticAgentBuild.path()]
        let exitPort = LoopbackPort.free(.udp)
        let exitKey = Curve25519.KeyAgreement.PrivateKey()
        let site = try Self.site(exitPublicKey: exitKey.publicKey.rawRepresentation.base64EncodedString(), exitPort: exitPort)
        defer { try? FileManager.default.removeItem(atPath: (site as NSString).deletingLastPathComponent) }
        try await withHostHTTPServer(files: ["/host.txt": Data("the host, through an uplink\n".utf8)]) { host in
            try await withVMs([.convergedGateway(name: ConvergedGatewayImage.alias, forwards: [.udp(10000)]),
                               .convergedGateway(name: "exit", forwards: [.udp(host: exitPort, guest: 51820)]),
                               .router(name: "exitnode")]) { vms in
                let (gateway, exit, router) = (vms[0], vms[1], MeshRouter(vm: vms[2]))
                let ssh = ["--ssh-config", gateway.sshConfigFile]

                // 1. The apply makes the key on the gateway and prints only its public half.
                let apply = try await GwsetupCLI.run(["apply", "--yes", "--site", site] + ssh, environment: environment)
                try #require(apply.status == 0, "apply:\n\(apply.output)")
                let gatewayKey = try #require(PrintedKeys.keys("exit", in: apply.stdout)["gw1"], "no exit key in:\n\(apply.stdout)")
                #expect(WireGuardPublicKey(gatewayKey) != nil, "\(gatewayKey)")
                let stat = try await gateway.run("stat -c '%a %U' \(WireGuardKey.privatePath(.exit))")
                #expect(stat.trimmingCharacters(in: .whitespacesAndNewlines) == "600 systemd-network", "\(stat)")
                let secret = try await gateway.run("cat \(WireGuardKey.privatePath(.exit))").trimmingCharacters(in: .whitespacesAndNewlines)
                let journal = try await gateway.run("journalctl -b --no-pager -o cat | grep -cF -- \(ShellQuote.quote(secret)) || true")
                #expect(!apply.output.contains(secret) && journal.trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                        "the exit's private key was printed or logged")
                let rules = try await gateway.run("ip rule; ip route show table \(ExitTunnel.routingTable)")
                #expect(rules.contains("from 10.99.0.0/16 lookup \(ExitTunnel.routingTable)") && rules.contains("default dev gw-exit"), "\(rules)")

                // 2. The exit server learns the gateway's key, as its operator would be told it.
                let script = try String(contentsOfFile: GwsetupCLI.fixture("exit/exit-server.sh"), encoding: .utf8)
                let exitPrivate = exitKey.rawRepresentation.base64EncodedString()
                try await exit.write(Data(script.utf8), to: "/root/exit-server.sh")
                _ = try await exit.run("sh /root/exit-server.sh \(exitPrivate) \(gatewayKey)")

                // 3. A router joins the gateway; its client gets a lease and fetches the page through the exit.
                let fastdKey = try #require(PrintedKeys.keys("fastd", in: apply.stdout)["gw1/ffx"])
                let mesh = MeshRouter.MeshLink(name: "ffx", batman: "bat-ffx", namespace: "client", routingAlgorithm: "BATMAN_IV")
                try await router.join(mesh, peers: [MeshRouter.Peer(name: "gw1", key: fastdKey, port: 10000)], method: "salsa2012+umac", mtu: 1312)
                _ = try await router.waitForGateways(1, batman: "bat-ffx", fastdUnit: "fastd-ffx")
                let lease = try await router.client("dhclient -1 -pf /run/dhclient.pid -lf /run/dhclient.leases veth-c")
                try #require(lease.succeeded, "dhclient: \(lease.stderrText)")
                let fetch = "curl -sS -m 10 \(Self.internetPage)"
                let page = try await router.poll(fetch, timeout: .seconds(120)) { $0.contains("a page on the internet") }
                #expect(page.contains("a page on the internet"), "the client never fetched the page: \(page)")
                let log = try await exit.run("cat /run/internet-http.log")
                let sources = Set(log.split(separator: "\n").filter { $0.contains("GET /index.html") }.compactMap { $0.split(separator: " ").first.map(String.init) })
                #expect(sources == [Self.exitAddress], "the internet saw \(sources), not only the exit's \(Self.exitAddress):\n\(log)")

                // 4. A capture on the gateway's uplink during a fetch: the tunnel's outer packets, no client flow.
                let capture = try await Self.capture(on: gateway, exitPort: exitPort, webPort: host.port) {
                    let again = try await router.client(fetch)
                    #expect(again.stdoutText.contains("a page on the internet"), "fetch during the capture: \(again.stderrText)")
                }
                #expect(capture.tunnel > 0 && capture.client == 0, "uplink capture during the fetch: \(capture)")
                let verify = try await GwsetupCLI.run(["verify", "--site", site] + ssh, environment: environment)
                #expect(verify.status == 0, "verify on the live rules:\n\(verify.output)")

                // 5. The tunnel down: the client reaches nothing, not even the host its gateway's uplink reaches; the
                // agent, which probes through the exit, drains the gateway.
                _ = try await gateway.run("ip link set gw-exit down")
                let down = try await Self.capture(on: gateway, exitPort: exitPort, webPort: host.port) {
                    // The gateway answers "unreachable" at once (ENETUNREACH 101, or EHOSTUNREACH 113), not a silent drop.
                    for (address, port) in [(TestVM.hostAddressFromGuest, host.port), ("198.51.100.80", 8080)] {
                        let connect = try await router.client("python3 -c 'import socket; s = socket.socket(); s.settimeout(10); print(s.connect_ex((\"\(address)\", \(port))))'")
                        let errno = connect.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                        #expect(errno == "101" || errno == "113", "the client's connection to \(address):\(port) with the exit down ended \(errno) \(connect.stderrText)")
                    }
                }
                #expect(down.client == 0, "client packets on the uplink while the exit was down: \(down)")
                let own = try await gateway.run("python3 -c 'import urllib.request; print(urllib.request.urlopen(\"\(host.urlFromGuest("/host.txt"))\", timeout=10).read().decode())'")
                #expect(own.contains("the host, through an uplink"), "the gateway itself lost the internet: \(own)")
                let drained = try await gateway.poll("batctl meshif bat-ffx gw_mode", timeout: .seconds(60), every: .seconds(1)) { $0.hasPrefix("off") }
                #expect(drained.output.hasPrefix("off"), "the agent did not drain with the exit down: \(drained.output)")
                _ = try await gateway.run("ip link set gw-exit up")
                let serving = try await gateway.poll("batctl meshif bat-ffx gw_mode", timeout: .seconds(90), every: .seconds(1)) { $0.hasPrefix("server") }
                #expect(serving.output.hasPrefix("server"), "the agent did not serve again with the exit back: \(serving.output)")
                let back = try await router.poll(fetch, timeout: .seconds(60)) { $0.contains("a page on the internet") }
                #expect(back.contains("a page on the internet"), "the client did not get out again: \(back)")
                FileHandle.standardError.write(Data("exit: drained in \(drained.took), serving again in \(serving.took)\n".utf8))

                // 6. The exit's NAT rule removed by hand: verify names it.
                _ = try await gateway.run("iptables -t nat -D POSTROUTING -s 10.99.0.0/16 -o gw-exit -m comment --comment 'NAT clients of ffx out the exit' -j MASQUERADE")
                let broken = try await GwsetupCLI.run(["verify", "--site", site] + ssh, environment: environment)
                #expect(broken.status == 2 && broken.stdout.squeezingSpaces.contains("FAILS ipv4.forward.ffx.masquerade"), "verify:\n\(broken.output)")
            }
        }
    }

    /// vm-site.yaml with an exit at the host's forwarded port and the uplink check probing the internet through it.
    static func site(exitPublicKey: String, exitPort: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-exit-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: GwsetupCLI.fixture("vm-site.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "    respondd: true\n", with: """
                respondd: true
              uplink_check: {targets: [198.51.100.80], interval: 2, fail_after: 2, recover_after: 2, timeout: 1}

            exit:
              endpoint: \(TestVM.hostAddressFromGuest):\(exitPort)
              public_key: "\(exitPublicKey)"

            """)
        text = text.replacingOccurrences(of: "    ssh: root@gwvm\n", with: "    ssh: root@gwvm\n    exit_address: 10.200.0.2/32\n")
        let path = directory + "/exit-site.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    struct UplinkCapture: CustomStringConvertible {
        var tunnel: Int
        var client: Int
        var description: String { "tunnel=\(tunnel) client=\(client)" }
    }

    /// Runs `body` while the gateway captures on its uplink, then reads the counts.
    static func capture(on gateway: TestVM, exitPort: Int, webPort: Int, during body: () async throws -> Void) async throws -> UplinkCapture {
        let script = try String(contentsOfFile: GwsetupCLI.fixture("exit/uplink-capture.py"), encoding: .utf8)
        try await gateway.write(Data(script.utf8), to: "/root/uplink-capture.py")
        _ = try await gateway.run("rm -f /run/capture.txt; systemd-run --collect --unit=uplink-capture --property=StandardOutput=file:/run/capture.txt "
                                  + "python3 /root/uplink-capture.py eth0 \(TestVM.hostAddressFromGuest) \(exitPort) \(webPort) 30")
        _ = try await gateway.poll("cat /run/capture.txt", timeout: .seconds(30), every: .milliseconds(300)) { $0.contains("listening") }
        try await body()
        _ = try await gateway.run("systemctl kill --signal=SIGTERM uplink-capture 2>/dev/null || true")
        let counts = try await gateway.poll("cat /run/capture.txt", timeout: .seconds(40), every: .seconds(1)) { $0.contains("tunnel=") }.output
        func number(_ name: String) -> Int {
            counts.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) } ?? -1
        }
        return UplinkCapture(tunnel: number("tunnel"), client: number("client"))
    }
}
