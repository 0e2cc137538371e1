import Foundation
import Testing
@testable import GatewayKit
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The harness the end-to-end tests stand on: real Debian 12 guests under qemu, reached over real OpenSSH.
@Suite(.serialized, .timeLimit(.minutes(70)))
struct VMHarnessTests {
    @Test("A gateway VM boots as a fresh Debian 12 droplet: root logs in over SSH, apt and batman-adv work, host HTTP is reachable, reboot keeps writes")
    func gatewayIsAFreshDroplet() async throws {
        let pid = try await withVM(.gateway()) { vm in
            let state = try await vm.ssh("systemctl is-system-running --wait", timeout: .seconds(300))
            #expect(["running", "degraded"].contains(state.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)),
                    "systemd: \(state.stdoutText) \(state.stderrText)")
            #expect(try await vm.run(". /etc/os-release; echo $VERSION_CODENAME") == "bookworm\n")

            let hostMirror = try #require(Self.hostMirror(), "the host has no URIs: line in its apt sources")
            let sources = try await vm.run("cat /etc/apt/sources.list.d/*.sources")
            #expect(sources.contains("URIs: \(hostMirror)"), "guest apt sources: \(sources)")
            let update = try await vm.ssh("apt-get update -qq")
            #expect(update.succeeded, "apt-get update in the guest: \(update.stderrText)")

            let gatewayPackages = try await vm.ssh("dpkg-query -W fastd batctl dnsmasq")
            #expect(!gatewayPackages.succeeded, "a fresh droplet must not have the gateway's packages yet")

            let batman = try await vm.ssh("modprobe batman_adv && ip link add bat0 type batadv && ip -o link show bat0")
            #expect(batman.succeeded && batman.stdoutText.contains("bat0"), "batman-adv: \(batman.stderrText)")

            let local = FileManager.default.temporaryDirectory.appendingPathComponent("vm-copy-\(getpid()).txt").path
            try "copied into the guest\n".write(toFile: local, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: local) }
            try await vm.copy(file: local, to: "/etc/gwsetup-test/copied.txt", mode: "0600")
            #expect(try await vm.run("stat -c %a /etc/gwsetup-test/copied.txt; cat /etc/gwsetup-test/copied.txt")
                    == "600\ncopied into the guest\n")

            let fetched = try await withHostHTTPServer(files: ["/hello.txt": Data("served by the host\n".utf8)]) { server in
                try await vm.run("/usr/lib/apt/apt-helper download-file \(server.urlFromGuest("/hello.txt")) /tmp/hello.txt"
                                 + " && cat /tmp/hello.txt")
            }
            #expect(fetched.hasSuffix("served by the host\n"), "the guest must reach the host's loopback HTTP server at 10.0.2.2")

            let direct = try await Self.runSSH(vm.sshOptions + ["-p", String(vm.sshPort), "root@127.0.0.1", "hostname"])
            #expect(direct == "gwsetup-gateway\n", "ssh with TestVM.sshOptions must log in with strict host key checking")
            let viaTransport = try await TransportSpec(parsing: vm.sshTarget).withTransport(
                sshOptions: SSHTransport.Options(configFile: vm.sshConfigFile), logger: Logger(label: "e2e")
            ) { transport in try await transport.runChecked("hostname").stdoutText }
            #expect(viaTransport == "gwsetup-gateway\n", "gwsetup's SSH transport must reach \(vm.sshTarget) with the VM's ssh_config")

            // A reboot keeps qemu (and so the snapshot disk's writes) and comes back as a new boot.
            try await vm.reboot()
            #expect(try await vm.run("cat /etc/gwsetup-test/copied.txt") == "copied into the guest\n",
                    "what a test wrote must survive a guest reboot")
            return vm.pid
        }
        #expect(!Self.isQemu(pid), "qemu \(pid) must be gone once withVM returns")
    }

    @Test("A router VM behind qemu's NAT exchanges UDP with the gateway VM's forwarded port via 10.0.2.2, as a mesh node will")
    func routerReachesGatewayThroughHostForward() async throws {
        let port = LoopbackPort.free(.udp)
        var pids: [Int32] = []
        let marker = "gwsetup-mesh-probe-\(getpid())"
        struct EndsLikeAFailingTest: Error {}
        await #expect(throws: EndsLikeAFailingTest.self) {
            try await withVMs([.gateway(forwards: [.udp(port)]), .router()]) { vms in
                let (gateway, router) = (vms[0], vms[1])
                pids = vms.map(\.pid)
                let tools = try await router.ssh("command -v fastd batctl dhclient dig chronyd curl nc")
                #expect(tools.succeeded && tools.stdoutText.split(separator: "\n").count == 7,
                        "router tools: \(tools.stdoutText)")

                // The gateway answers the first datagram's sender, as fastd does; the reply must find its way back.
                try await gateway.run("setsid -f sh -c '{ echo pong-\(marker); sleep 60; } | timeout 90 nc -u -l \(port)"
                                      + " > /tmp/udp.txt' </dev/null >/dev/null 2>&1")
                var listening = false
                for _ in 0..<60 where !listening {
                    listening = try await gateway.ssh("ss -Hulnp sport = :\(port) | grep -q nc").succeeded
                }
                #expect(listening, "nc in the gateway VM never bound UDP \(port)")
                // nc sends once its stdin has data and quits when stdin ends, so stdin stays open while the reply comes.
                let reply = try await router.run(
                    "setsid -f sh -c '{ echo ping-\(marker); sleep 60; } | timeout 60 nc -u \(TestVM.hostAddressFromGuest) \(port)"
                    + " > /tmp/reply.txt' </dev/null >/dev/null 2>&1; "
                    + "for i in $(seq 120); do grep -q pong /tmp/reply.txt && break; sleep 0.5; done; cat /tmp/reply.txt")
                let received = try await gateway.run("cat /tmp/udp.txt")
                #expect(received.contains("ping-\(marker)"), "the router's datagram never reached the gateway VM on UDP \(port)")
                #expect(reply.contains("pong-\(marker)"), "the gateway's reply never came back to the router")
                throw EndsLikeAFailingTest()
            }
        }
        #expect(pids.count == 2)
        for pid in pids { #expect(!Self.isQemu(pid), "qemu \(pid) must be gone even when the test body throws") }
    }

    /// The first non-security `URIs:` value of the host's deb822 sources, which the images copy.
    static func hostMirror() -> String? {
        let directory = "/etc/apt/sources.list.d"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".sources") {
            let text = (try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("URIs:") {
                if let uri = line.split(separator: " ").dropFirst().first(where: { !$0.contains("security") }) {
                    return String(uri)
                }
            }
        }
        return nil
    }

    /// Whether `pid` is still a live qemu (a reaped process has no /proc entry; a reused PID has another name).
    static func isQemu(_ pid: Int32) -> Bool {
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        return comm.hasPrefix("qemu")
    }

    /// Runs the system ssh client with `arguments` and returns its stdout, throwing on a non-zero exit.
    static func runSSH(_ arguments: [String]) async throws -> String {
        let outcome = try await ProcessRunner.run(
            executable: "/usr/bin/ssh", arguments: arguments, stdin: Data(), timeout: .seconds(120))
        guard outcome.status == 0 else {
            throw VMError.commandFailed(name: "ssh", command: arguments.joined(separator: " "),
                                        result: String(decoding: outcome.stderr, as: UTF8.self))
        }
        return String(decoding: outcome.stdout, as: UTF8.self)
    }
}
