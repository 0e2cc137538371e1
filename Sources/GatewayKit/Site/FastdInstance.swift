/// One fastd process of a domain on one gateway; a domain runs several to use more than one core, all in one mesh.
public struct FastdInstance: Sendable, Equatable {
    public var domain: String
    /// 1-based; instance 1 keeps the names a single-instance domain always had, so adding instances restarts nothing else.
    public var number: Int
    public var port: Int
    /// Its tap interface, added to the domain's batman-adv interface by the on-up hook; in multi-TAP mode the name
    /// pattern fastd gives each peer's interface (`v10000-%k`), which the same hook adds peer by peer.
    public var interface: String
    /// The site's peer limit split across the instances (each gets ceil(limit / N)).
    public var peerLimit: Int?
    /// Multi-TAP mode (the domain offloads L2TP): what every peer interface of this instance starts with; nil in TAP mode.
    public var peerInterfaceStem: String? = nil

    /// systemd instance and `/etc/fastd` directory: `ffx`, then `ffx.2`, `ffx.3` (`.` is not allowed in domain codes, so no clash).
    public var name: String { Self.name(domain: domain, number: number) }
    public var unit: String { "fastd@\(name).service" }
    public var configPath: String { Self.configPath(domain: domain, number: number) }
    public var statusSocket: String { "/run/fastd-\(name).sock" }

    static func name(domain: String, number: Int) -> String { number == 1 ? domain : "\(domain).\(number)" }
    static func configPath(domain: String, number: Int) -> String { "/etc/fastd/\(name(domain: domain, number: number))/fastd.conf" }

    /// `vpn-ffx` for instance 1, `vpn2-ffx` for the next ones: at most 5 + digits bytes before the domain's interface name.
    static func interface(_ interfaceName: String, number: Int) -> String {
        number == 1 ? "vpn-" + interfaceName : "vpn\(number)-" + interfaceName
    }

    /// The domain code of an instance name (`ffx` or `ffx.2`), nil when `name` is neither.
    static func domain(ofName name: String, isDomainCode: (String) -> Bool) -> String? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isDomainCode(name) ? name : nil
        case 2:
            guard let number = Int(parts[1]), (2...SiteDefaults.maxFastdInstances).contains(number), String(number) == parts[1],
                  isDomainCode(String(parts[0])) else { return nil }
            return String(parts[0])
        default: return nil
        }
    }
}

extension MeshDomain {
    /// The fastd instances `entry`'s gateway runs for this domain: consecutive ports from its own `fastd_port` or the domain's.
    public func fastdInstances(on entry: GatewayDomain?) -> [FastdInstance] {
        let first = entry?.fastdPort ?? fastd.port
        let count = fastd.instances
        guard count > 0 else { return [] }
        let limit = fastd.peerLimit.map { ($0 + count - 1) / count }
        return (1...count).map { number in
            let port = first + number - 1
            guard offloadsL2TP else {
                return FastdInstance(domain: code, number: number, port: port,
                                     interface: FastdInstance.interface(interfaceName, number: number), peerLimit: limit)
            }
            let stem = FastdL2TPOffload.peerInterfaceStem(port: port)
            return FastdInstance(domain: code, number: number, port: port, interface: stem + FastdL2TPOffload.keyPattern,
                                 peerLimit: limit, peerInterfaceStem: stem)
        }
    }

    /// Every tap interface any gateway's fastd makes for this domain (the names do not depend on the gateway); none in
    /// multi-TAP mode, whose interfaces come and go with the peers.
    public var fastdInterfaces: [String] { fastdInstances(on: nil).filter { $0.peerInterfaceStem == nil }.map(\.interface) }
}
