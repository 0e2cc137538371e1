import Foundation
import Synchronization
import AgentKit

/// Two namespaces joined by two veth pairs: the gateway's (a bridge br-test with one port, and an uplink) and a
/// client's, which reaches the gateway over the bridge (mesh) or over the uplink (outside).
final class RespondTestbed: Sendable {
    let gateway = "gwresp-\(UInt32.random(in: 10000...99999))"
    let client = "gwcli-\(UInt32.random(in: 10000...99999))"
    static let meshAddress = "fd00:1::1", clientMeshAddress = "fd00:1::2"
    static let uplinkAddress = "fd00:2::1", clientUplinkAddress = "fd00:2::2"
    static let meshMAC = "02:00:5e:10:00:01", vpnMAC = "02:00:5e:10:00:02"
    private let stopRequest = StopRequest()
    /// Signalled when the responder's thread has stopped serving; nil while no responder was started.
    private let stopped = Mutex<DispatchSemaphore?>(nil)

    init() throws {
        let script = """
        set -e
        ip netns add \(gateway); ip netns add \(client)
        for ns in \(gateway) \(client); do
          ip -n $ns link set lo up
          ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
        done
        ip -n \(gateway) link add br-test type bridge
        ip link add name vmesh0 netns \(gateway) type veth peer name vmesh1 netns \(client)
        ip link add name vup0 netns \(gateway) type veth peer name vup1 netns \(client)
        ip -n \(gateway) link set vmesh0 master br-test
        for link in br-test vmesh0 vup0; do ip -n \(gateway) link set $link up; done
        for link in vmesh1 vup1; do ip -n \(client) link set $link up; done
        ip -n \(gateway) addr add \(Self.meshAddress)/64 dev br-test nodad
        ip -n \(gateway) addr add \(Self.uplinkAddress)/64 dev vup0 nodad
        ip -n \(client) addr add \(Self.clientMeshAddress)/64 dev vmesh1 nodad
        ip -n \(client) addr add \(Self.clientUplinkAddress)/64 dev vup1 nodad
        """
        let created = try Shell.run(script)
        guard created.status == 0 else {
            cleanUp()
            throw NamespaceError(message: "testbed: \(created.output)")
        }
    }

    /// The agent's respondd config for the bridge, with `burst` answers per source before the limit bites.
    static func config(burst: Int = 10) -> RespondConfig {
        RespondConfig(hostname: "gw-test", siteCode: "ffx", contact: "noc@ffx.example",
                      domains: [.init(code: "dom1", bridge: "br-test", mesh: "bat-dom1", vpnInterface: "fastd-dom1",
                                      fastdPublicKey: String(repeating: "ab", count: 32))],
                      burst: burst, perSecond: 0.001)
    }

    /// Starts the real responder inside the gateway namespace, serving until `deinit`.
    func startResponder(_ config: RespondConfig, source: any RespondSource) throws -> RespondResponder {
        // The serving thread holds only the stop request, not the testbed, so the testbed's deinit runs and stops it.
        let stopRequest = self.stopRequest
        let opened = Mutex<RespondResponder?>(nil)
        let finished = try NamespaceThread.launch(in: gateway) {
            let responder = try RespondResponder(config: config, source: source)
            opened.withLock { $0 = responder }
            return { responder.serve(tick: 100) { stopRequest.isRaised } }
        }
        stopped.withLock { $0 = finished }
        return opened.withLock { $0! }
    }

    /// Sends `query` from the client namespace to `destination` (a group is sent out of `interface`) and returns
    /// the first answer, or nil when none came within `timeout` milliseconds.
    func ask(_ query: String, to destination: String, via interface: String, timeout: Int32 = 1500) throws -> [UInt8]? {
        try NamespaceThread.run(in: client) {
            let fd = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw NamespaceError(message: "client socket") }
            defer { close(fd) }
            var index = if_nametoindex(interface)
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_MULTICAST_IF, &index, socklen_t(MemoryLayout<UInt32>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(1001).bigEndian
            address.sin6_scope_id = destination.hasPrefix("ff02") ? index : 0
            guard inet_pton(AF_INET6, destination, &address.sin6_addr) == 1 else { throw NamespaceError(message: "bad address") }
            let bytes = Array(query.utf8)
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
            guard sent == bytes.count else { throw NamespaceError(message: "sendto \(destination): \(String(cString: strerror(errno)))") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, timeout) > 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? Array(buffer.prefix(count)) : nil
        }
    }

    /// Sends the client's packets for the bridge's address over the uplink, as an attacker outside the mesh would.
    func routeMeshAddressOverUplink() throws {
        let routed = try Shell.run("ip -n \(client) route add \(Self.meshAddress)/128 via \(Self.uplinkAddress) dev vup1")
        guard routed.status == 0 else { throw NamespaceError(message: "route: \(routed.output)") }
    }

    private func cleanUp() {
        _ = try? Shell.run("ip netns delete \(gateway) 2>/dev/null; ip netns delete \(client) 2>/dev/null; true")
    }

    deinit {
        if let stopped = stopped.withLock({ $0 }) {
            stopRequest.raise()
            stopped.wait()
        }
        cleanUp()
    }
}

/// A flag the responder's thread polls between queries.
final class StopRequest: Sendable {
    private let raised = Atomic<Bool>(false)
    var isRaised: Bool { raised.load(ordering: .relaxed) }
    func raise() { raised.store(true, ordering: .relaxed) }
}

/// Fixed figures for a bat-dom1 mesh with two direct neighbours and three clients (one carried twice).
struct FixtureRespondSource: RespondSource {
    var versions = SoftwareVersions(batmanAdv: "2022.3", fastd: "v22", system: "12.8")

    func host() -> HostReadings {
        var readings = HostReadings()
        readings.uptime = 1234.5
        readings.loadavg = 0.25
        readings.processesTotal = 80
        readings.processesRunning = 1
        readings.memory = ["total": 1_000_000, "free": 500_000]
        readings.processors = 2
        return readings
    }

    func interface(_ name: String) -> InterfaceReadings {
        var readings = InterfaceReadings()
        readings.mac = switch name {
        case "bat-dom1": MACAddress(RespondTestbed.meshMAC)
        case "fastd-dom1": MACAddress(RespondTestbed.vpnMAC)
        default: nil
        }
        readings.rxBytes = 100
        readings.txBytes = 200
        return readings
    }

    func addresses(of interface: String) -> [String] { interface == "br-test" ? [RespondTestbed.meshAddress] : [] }

    func batman(_ mesh: String) -> BatmanTables {
        BatmanTables(originatorsJSON: BatmanFixtures.originators, gatewaysJSON: BatmanFixtures.gateways, globalJSON: BatmanFixtures.global)
    }
}

/// batctl's JSON as Debian 12's batctl prints it for a small mesh.
enum BatmanFixtures {
    static let originators = """
    [{"hard_ifindex":5,"hard_ifname":"fastd-dom1","orig_address":"02:aa:00:00:00:01","neigh_address":"02:aa:00:00:00:01","last_seen_msecs":820,"tq":255,"best":true},
    {"hard_ifindex":5,"hard_ifname":"fastd-dom1","orig_address":"02:aa:00:00:00:02","neigh_address":"02:aa:00:00:00:02","last_seen_msecs":1500,"tq":200,"best":true},
    {"hard_ifindex":5,"hard_ifname":"fastd-dom1","orig_address":"02:aa:00:00:00:03","neigh_address":"02:aa:00:00:00:01","last_seen_msecs":3000,"tq":180,"best":true},
    {"hard_ifindex":5,"hard_ifname":"fastd-dom1","orig_address":"02:aa:00:00:00:03","neigh_address":"02:aa:00:00:00:02","last_seen_msecs":3000,"tq":150}]
    """
    static let gateways = """
    [{"orig_address":"02:aa:00:00:00:09","hard_ifname":"fastd-dom1","router":"02:aa:00:00:00:01","tq":240,"bandwidth_down":1000,"bandwidth_up":1000,"best":true}]
    """
    static let global = """
    [{"tt_address":"0a:00:00:00:00:01","orig_address":"02:aa:00:00:00:01","tt_vid":-1,"best":true},
    {"tt_address":"0a:00:00:00:00:01","orig_address":"02:aa:00:00:00:02","tt_vid":-1},
    {"tt_address":"0a:00:00:00:00:02","orig_address":"02:aa:00:00:00:02","tt_vid":-1,"best":true},
    {"tt_address":"0a:00:00:00:00:03","orig_address":"02:aa:00:00:00:03","tt_vid":-1,"best":true}]
    """
}
