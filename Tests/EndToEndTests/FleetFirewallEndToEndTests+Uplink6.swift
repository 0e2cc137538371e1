import Foundation
import Testing
@testable import GatewayKit

/// The fleet's uplink side over IPv6: north's clients reach the host through whichever gateway routes for them, and
/// respondd queries that arrive on a gateway's uplink get no answer.
extension FleetFirewallEndToEndTests {
    /// Sends one neighbour solicitation for qemu's host address from `source` on eth0. qemu's user network learns a
    /// neighbour only from the source of a solicitation it receives, so this is how it learns that the gateway routes
    /// `source`, as an upstream router routes the community's prefix to the gateway (the gateway forwards the client
    /// unchanged: no NAT66).
    static let routeBackScript = #"""
        import socket, struct, sys
        source, device = sys.argv[1], "eth0"
        mac = bytes.fromhex(open(f"/sys/class/net/{device}/address").read().strip().replace(":", ""))
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        s.setsockopt(socket.IPPROTO_IPV6, 75, 1)  # IPV6_TRANSPARENT: send from an address the gateway routes, not holds
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
        s.bind((source, 0))
        target = socket.inet_pton(socket.AF_INET6, "fec0::2")
        s.sendto(struct.pack("!BBHI", 135, 0, 0, 0) + target + struct.pack("!BB", 1, 1) + mac, ("fec0::2", 0))
        """#

    /// The north client's global IPv6 addresses (SLAAC in north's routed prefix).
    static func clientAddresses6(_ router: MeshRouter, _ north: MeshRouter.MeshLink) async throws -> [String] {
        let output = try await router.client("ip -6 -o addr show dev veth-c scope global | awk '{ print $4 }' | cut -d/ -f1",
                                             namespace: north.namespace).stdoutText
        return output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("2001:db8:60:1:") }
    }

    /// Makes each gateway's uplink network route the client's addresses back to that gateway.
    static func routeBack(_ addresses: [String], through gateways: [TestVM]) async throws {
        for vm in gateways {
            try await vm.write(Data(routeBackScript.utf8), to: "/root/route-back.py")
            for address in addresses { try await vm.run("python3 /root/route-back.py \(address)") }
        }
    }

    /// Packets of north's clients that `vm` forwarded to its uplink (its "clients of north to the internet" rule).
    static func forwardedToUplink6(_ vm: TestVM) async throws -> Int {
        let count = try await vm.run("ip6tables -L FORWARD -v -x -n | awk '/clients of north to the internet/ { n += $1 } END { print n + 0 }'")
        return Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Fetches `path` from the host over IPv6 from the north client; the page's text, or the failure.
    static func fetch6(_ router: MeshRouter, _ north: MeshRouter.MeshLink, _ server: HostHTTPServer, _ path: String) async throws -> String {
        let page = try await router.client("curl -6 -g -sS --max-time 60 '\(server.urlFromGuest6(path))'", namespace: north.namespace)
        return page.succeeded ? page.stdoutText : "curl failed: \(page.stderrText)"
    }

    /// A stand-in for the internet on `vm`'s uplink: a namespace whose packets tc hands to eth0's ingress, so the
    /// firewall sees them arrive on the uplink. It connects to SSH (open on the uplink: the SYN-ACK leaves by eth0) and
    /// sends respondd queries to the gateway's north address and to both respondd groups. Prints the packets from
    /// port 22 and from port 1001 that left by eth0, then removes everything it added.
    static let uplinkQueries = #"""
        set -e
        cleanup() {
            ip6tables -D OUTPUT -o eth0 -p tcp --sport 22 -m comment --comment e2e-uplink-count 2>/dev/null || true
            ip6tables -D OUTPUT -o eth0 -p udp --sport 1001 -m comment --comment e2e-uplink-count 2>/dev/null || true
            ip link del e2e-uph 2>/dev/null || true
            ip netns del e2e-uplink 2>/dev/null || true
        }
        trap cleanup EXIT
        ip netns add e2e-uplink
        ip link add e2e-up type veth peer name e2e-uph
        ip link set e2e-up netns e2e-uplink
        ip link set e2e-uph up
        ip -n e2e-uplink link set e2e-up up
        ip -n e2e-uplink addr add 2001:db8:ffff::5/64 dev e2e-up nodad
        # Addressed to e2e-uph's own MAC, so the redirected packet still counts as the host's own on eth0.
        ip -n e2e-uplink -6 neigh add fe80::1 lladdr "$(cat /sys/class/net/e2e-uph/address)" dev e2e-up
        ip -n e2e-uplink -6 route add default via fe80::1 dev e2e-up
        tc qdisc add dev e2e-uph ingress
        tc filter add dev e2e-uph ingress matchall action mirred ingress redirect dev eth0
        ip6tables -I OUTPUT -o eth0 -p tcp --sport 22 -m comment --comment e2e-uplink-count
        ip6tables -I OUTPUT -o eth0 -p udp --sport 1001 -m comment --comment e2e-uplink-count
        ip netns exec e2e-uplink python3 - "$1" <<'PY'
        import socket, sys, time
        target = sys.argv[1]
        ssh = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        ssh.settimeout(3)
        try:
            ssh.connect((target, 22))
        except OSError:
            pass  # the answer goes out by eth0 to qemu's network, not back here: the counter tells
        index = socket.if_nametoindex("e2e-up")
        query = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        query.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
        for destination in [(target, 1001, 0, 0), ("ff02::2:1001", 1001, 0, index), ("ff05::2:1001", 1001, 0, index)]:
            for request in [b"GET nodeinfo", b"nodeinfo"]:
                query.sendto(request, destination)
        time.sleep(3)
        PY
        ip6tables -L OUTPUT -v -x -n | awk '/e2e-uplink-count/ && /spt:22 / { print "ssh", $1 } /e2e-uplink-count/ && /spt:1001 / { print "respondd", $1 }'
        """#

    /// respondd from the uplink side: queries that arrive on `vm`'s uplink, unicast and multicast, get nothing back,
    /// while SSH, which the site opens there, answers the same path.
    static func uplinkRespondd(_ vm: TestVM, address: String) async throws {
        try await vm.write(Data(uplinkQueries.utf8), to: "/root/uplink-queries.sh")
        let counts = try await vm.run("bash /root/uplink-queries.sh \(address)")
        let values = Dictionary(counts.split(separator: "\n").compactMap { line -> (String, Int)? in
            let fields = line.split(separator: " ")
            guard fields.count == 2, let value = Int(fields[1]) else { return nil }
            return (String(fields[0]), value)
        }, uniquingKeysWith: +)
        #expect((values["ssh"] ?? 0) >= 1, "the injected SYN to \(vm.name)'s SSH on the uplink got no answer, so the path proves nothing: \(counts)")
        #expect(values["respondd"] == 0, "\(vm.name) answered respondd queries that came in on its uplink: \(counts)")
    }
}
