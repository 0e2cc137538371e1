import GatewayBase

/// The live network one mesh domain needs: the links networkd and fastd make from the rendered files, and the
/// batman-adv settings those files set only when the interface is created. Plan compares it with the probe's view.
public struct MeshLinks: Sendable, Equatable, Codable {
    public var domain: String
    /// The fastd instance that makes `vpn` and adds it to `batman` in its on-up hook.
    public var fastdUnit: String
    /// fastd's tap interface, a port of `batman`; in multi-TAP mode instance 1's peer interface pattern.
    public var vpn: String
    /// batman-adv's mesh interface, a port of `bridge`.
    public var batman: String
    public var bridge: String
    /// `address/prefix` in canonical spelling, exactly the `Address=` lines of the bridge's .network file.
    public var bridgeAddresses: [String]
    /// The bridge's `MulticastSnooping=`.
    public var bridgeMulticastSnooping: Bool
    public var settings: BatmanRuntime
    /// The backbone's tap (`tnc-X`), a port of `batman` that the tinc unit's tinc-up joins; nil without a backbone.
    public var backbone: String? = nil
    public var backboneUnit: String? = nil
    /// Every fastd instance of the domain with its tap interface, instance 1 (`fastdUnit`, `vpn`) first.
    public var fastd: [FastdLink] = []
    /// The bridge's `MACAddress=`, which networkd sets only when it creates the bridge; nil in links saved before
    /// plan compared it.
    public var bridgeMAC: String? = nil

    /// Every fastd instance with its tap; links saved before instances existed have only `fastdUnit` and `vpn`.
    /// None for a WireGuard-only domain (no `fastdUnit`).
    public var fastdLinks: [FastdLink] { fastd.isEmpty ? (fastdUnit.isEmpty ? [] : [FastdLink(unit: fastdUnit, interface: vpn)]) : fastd }
    /// Every fastd unit of the domain; a batman-adv interface made anew needs all of them to rejoin it.
    public var fastdUnits: [String] { fastdLinks.map(\.unit) }
    /// The fastd instance owning interface `name` (its tap, or in multi-TAP mode one of its peers'), if one does.
    public func fastdLink(interface name: String) -> FastdLink? { fastdLinks.first { $0.owns(name) } }
    /// The fastd instances with one tap each, whose interface must exist while they run.
    public var tapLinks: [FastdLink] { fastdLinks.filter { $0.peerInterfaceStem == nil } }
    /// The stems of the multi-TAP instances' peer interfaces, which exist only while their peers are connected.
    public var peerInterfaceStems: [String] { fastdLinks.compactMap(\.peerInterfaceStem) }
}

/// One fastd instance of a domain and the interface(s) its on-up hook adds to batman-adv.
public struct FastdLink: Sendable, Equatable, Codable {
    public var unit: String
    /// Its tap; in multi-TAP mode the pattern fastd names its peers' interfaces by (`v10000-%k`), itself no link.
    public var interface: String
    /// Multi-TAP mode: what each of its peer interfaces starts with; nil in TAP mode (and in links saved before it).
    public var peerInterfaceStem: String? = nil

    /// Whether `name` is this instance's: its tap, or in multi-TAP mode a peer interface of its stem.
    public func owns(_ name: String) -> Bool {
        peerInterfaceStem.map { FastdL2TPOffload.isPeerInterface(name, stem: $0) } ?? (name == interface)
    }
}

/// batman-adv's runtime settings as the kernel reports them (`batctl meshif X mesh_json`).
public struct BatmanRuntime: Sendable, Equatable, Codable {
    /// `BATMAN_IV` or `BATMAN_V`; fixed when the interface is created.
    public var routingAlgorithm: String
    /// Announced bandwidth in the kernel's unit of 100 kbit/s.
    public var gatewayBandwidthDown: Int
    public var gatewayBandwidthUp: Int
    public var hopPenalty: Int
    /// Milliseconds.
    public var originatorInterval: Int
    /// batman-adv's multicast optimisations (the kernel's `multicast_forceflood` off).
    public var multicastMode: Bool
    /// A gateway announces itself to the nodes; only a drained gateway (see ``LiveNetwork/drainedMarker``) may be off.
    public static let gatewayMode = "server"

    /// `100mbit/20mbit` → the kernel's 100 kbit/s units as batctl prints them: `100.0/20.0 MBit`.
    public var bandwidthText: String { Self.bandwidthText(down: gatewayBandwidthDown, up: gatewayBandwidthUp) }

    static func bandwidthText(down: Int, up: Int) -> String {
        func text(_ units: Int) -> String { "\(units / 10).\(units % 10)" }
        return "\(text(down))/\(text(up)) MBit"
    }

    /// The argument `batctl gw_mode server` takes for this bandwidth, in kbit so nothing is rounded.
    var batctlBandwidth: String { "\(gatewayBandwidthDown * 100)kbit/\(gatewayBandwidthUp * 100)kbit" }
}

extension DesiredStateBuilder {
    /// One ``MeshLinks`` per domain, from the same values and converters ``meshFiles(_:_:)`` renders into the netdev
    /// and network files, so the runtime expectation can never disagree with what networkd is told.
    func meshLinks(_ views: [GatewayDomainView]) -> [MeshLinks] {
        views.map { view in
            let domain = view.domain
            let (down, up) = Self.networkdBandwidth(domain.batman.gatewayBandwidth)
            var addresses: [String] = []
            if let address = view.entry.ipv4, let prefix = domain.prefix4 { addresses.append("\(address)/\(prefix.prefixLength)") }
            addresses.append("\(view.entry.ipv6)/\(domain.prefix6.prefixLength)")
            let instances = domain.fastdInstances(on: view.entry)
            return MeshLinks(
                domain: domain.code, fastdUnit: instances.first?.unit ?? "", vpn: instances.first?.interface ?? "",
                batman: domain.batmanInterface, bridge: domain.bridgeInterface, bridgeAddresses: addresses,
                bridgeMulticastSnooping: domain.batman.multicastOptimizations,
                settings: BatmanRuntime(
                    routingAlgorithm: domain.batman.routingAlgorithm.rawValue,
                    gatewayBandwidthDown: Self.kernelBandwidth(networkd: down), gatewayBandwidthUp: Self.kernelBandwidth(networkd: up),
                    hopPenalty: domain.batman.hopPenalty, originatorInterval: domain.batman.originatorInterval,
                    multicastMode: domain.batman.multicastOptimizations),
                fastd: instances.map { FastdLink(unit: $0.unit, interface: $0.interface, peerInterfaceStem: $0.peerInterfaceStem) },
                bridgeMAC: view.mac)
        }
    }

    /// networkd's `GatewayBandwidthDown=100M` → what it hands the kernel: bits (base 1000) / 100 000.
    static func kernelBandwidth(networkd text: String) -> Int {
        let factor: Int = switch text.last {
        case "K": 1_000
        case "M": 1_000_000
        case "G": 1_000_000_000
        default: 1
        }
        let digits = text.last.map(\.isNumber) == true ? Substring(text) : text.dropLast()
        return (Int(digits) ?? 0) * factor / 100_000
    }
}
