#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatewayBase

/// What the uplink check probes, how often, and what a drain switches: rendered by apply from `services.uplink_check`.
public struct UplinkConfig: Sendable, Equatable, Codable {
    /// One probe target: an ICMP echo to an address, or an HTTP GET whose answer must be a status line.
    public struct Target: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable { case icmp, http }
        public var kind: Kind
        /// A literal IPv4 or IPv6 address; the agent resolves no names (DNS may be what died).
        public var address: String
        /// The TCP port of an HTTP target.
        public var port: Int?
        /// The Host header and path of an HTTP target.
        public var host: String?
        public var path: String?

        public init(kind: Kind, address: String, port: Int? = nil, host: String? = nil, path: String? = nil) {
            self.kind = kind
            self.address = address
            self.port = port
            self.host = host
            self.path = path
        }
    }

    public var targets: [Target]
    /// Seconds between probe rounds.
    public var interval: Int
    /// Consecutive failed rounds before the gateway drains, and successful ones before it comes back.
    public var failAfter: Int
    public var recoverAfter: Int
    /// Seconds one probe may take.
    public var timeout: Int
    /// The interface probes leave through (SO_BINDTODEVICE); nil follows the routing table.
    public var interface: String?
    /// What a drain switches; the agent writes none of these files, it only starts, stops and flips.
    public var drain: DrainActions

    public init(targets: [Target], interval: Int, failAfter: Int, recoverAfter: Int, timeout: Int, interface: String?, drain: DrainActions) {
        self.targets = targets
        self.interval = interval
        self.failAfter = failAfter
        self.recoverAfter = recoverAfter
        self.timeout = timeout
        self.interface = interface
        self.drain = drain
    }

    enum CodingKeys: String, CodingKey {
        case targets, interval, timeout, interface, drain
        case failAfter = "fail_after"
        case recoverAfter = "recover_after"
    }

    func validate(path: String) throws(AgentConfigError) {
        func refuse(_ message: String) -> AgentConfigError { AgentConfigError(path: path, message: "uplink.\(message)") }
        if targets.isEmpty { throw refuse("targets: empty") }
        for (index, target) in targets.enumerated() {
            if IPAddress(target.address) == nil { throw refuse("targets.\(index).address: not an IP address") }
            if target.kind == .http, !(1...65535).contains(target.port ?? 80) { throw refuse("targets.\(index).port: out of range") }
            for text in [target.host, target.path].compactMap({ $0 }) where text.contains(where: { $0.isWhitespace || $0.isNewline }) || text.utf8.count > 200 {
                throw refuse("targets.\(index): host and path must be short and without spaces")
            }
        }
        if !(1...3600).contains(interval) { throw refuse("interval: out of range 1...3600") }
        if !(1...1000).contains(failAfter) { throw refuse("fail_after: out of range 1...1000") }
        if !(1...1000).contains(recoverAfter) { throw refuse("recover_after: out of range 1...1000") }
        if !(1...60).contains(timeout) { throw refuse("timeout: out of range 1...60") }
        if let interface, !DrainActions.isInterfaceName(interface) { throw refuse("interface: not an interface name") }
        try drain.validate(path: path)
    }
}

/// The switches of a drain: each domain's batman-adv interface, the DHCP unit, and the two radvd units.
public struct DrainActions: Sendable, Equatable, Codable {
    /// batman-adv mesh interfaces (bat-X) and the gw_mode argument each gets back when it serves again.
    public struct Batman: Sendable, Equatable, Codable {
        public var interface: String
        public var bandwidth: String
        public init(interface: String, bandwidth: String) {
            self.interface = interface
            self.bandwidth = bandwidth
        }
    }

    public var batman: [Batman]
    /// The DHCP server's unit, stopped while drained so no lease names a dead router.
    public var dhcpUnit: String?
    /// radvd's normal unit and the unit that runs the rendered drain variant (router lifetime 0).
    public var radvdUnit: String?
    public var radvdDrainUnit: String?
    /// The marker a drain leaves (plan and verify read it as "drained on purpose").
    public var marker: String
    /// The marker `gwsetup maintenance on` leaves; while it exists the agent keeps the gateway drained.
    public var maintenanceMarker: String

    public init(batman: [Batman], dhcpUnit: String?, radvdUnit: String?, radvdDrainUnit: String?, marker: String, maintenanceMarker: String) {
        self.batman = batman
        self.dhcpUnit = dhcpUnit
        self.radvdUnit = radvdUnit
        self.radvdDrainUnit = radvdDrainUnit
        self.marker = marker
        self.maintenanceMarker = maintenanceMarker
    }

    enum CodingKeys: String, CodingKey {
        case batman, marker
        case dhcpUnit = "dhcp_unit"
        case radvdUnit = "radvd_unit"
        case radvdDrainUnit = "radvd_drain_unit"
        case maintenanceMarker = "maintenance_marker"
    }

    func validate(path: String) throws(AgentConfigError) {
        func refuse(_ message: String) -> AgentConfigError { AgentConfigError(path: path, message: "uplink.drain.\(message)") }
        for entry in batman {
            if !Self.isInterfaceName(entry.interface) { throw refuse("batman: bad interface name") }
            if entry.bandwidth.isEmpty || !entry.bandwidth.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "/" || $0 == ".") }) {
                throw refuse("batman: bad bandwidth")
            }
        }
        for unit in [dhcpUnit, radvdUnit, radvdDrainUnit].compactMap({ $0 }) where !Self.isUnitName(unit) {
            throw refuse("unit: bad unit name")
        }
        for file in [marker, maintenanceMarker] where !file.hasPrefix("/") || file.contains("..") || file.utf8.count > 200 {
            throw refuse("marker: must be an absolute path")
        }
    }

    /// Linux interface names: 1–15 bytes, no slash, space or colon.
    static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    static func isUnitName(_ name: String) -> Bool {
        (1...100).contains(name.utf8.count) && name.hasSuffix(".service")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.@".contains($0)) }
    }
}
