import Foundation
import GatewayBase

/// The probe's section for the live network and the reader of its records, side by side so the format has one home.
///
/// Records: `N` (the network was read), `n` + the one-line JSON of `ip -j -d addr show` (every link with its master,
/// flags, bridge options and addresses: one process for all of them), `D` while the drain marker exists (a shell
/// test, no process), and `B` + name + `batctl meshif X mesh_json` per batman-adv interface that exists. Kernel 6.1
/// has no batman-adv sysfs any more, so netlink through batctl is the only reader; it runs only for interfaces
/// `/sys/class/net` shows.
public struct NetworkProbe: Sendable, Equatable {
    /// Every link the site implies; the reader keeps only these.
    public var links: [String]
    public var batman: [String]
    /// Stems of multi-TAP peer interfaces; the reader keeps each link of one of them as a peer link.
    public var peerInterfaceStems: [String]

    public init(links: [String], batman: [String], peerInterfaceStems: [String] = []) {
        self.links = links
        self.batman = batman
        self.peerInterfaceStems = peerInterfaceStems
    }

    public init(_ meshLinks: [MeshLinks]) {
        self.init(links: meshLinks.flatMap { mesh in mesh.tapLinks.map(\.interface) + [mesh.batman, mesh.bridge] + (mesh.backbone.map { [$0] } ?? []) },
                  batman: meshLinks.map(\.batman), peerInterfaceStems: meshLinks.flatMap(\.peerInterfaceStems))
    }

    /// Whether the reader keeps link `name`, and as a peer link or not.
    func keeps(_ name: String) -> (kept: Bool, peer: Bool) {
        if links.contains(name) { return (true, false) }
        let peer = peerInterfaceStems.contains { FastdL2TPOffload.isPeerInterface(name, stem: $0) }
        return (peer, peer)
    }

    func scriptLines() -> [String] {
        let batman = batman.map(ShellQuote.quote).joined(separator: " ")
        return [
            "echo N",
            #"j=$(ip -j -d addr show 2>/dev/null) && printf 'n\t%s\n' "$j""#,
            "[ -e \(ShellQuote.quote(LiveNetwork.drainedMarker)) ] && echo D",
            #"if command -v batctl >/dev/null; then for b in \#(batman); do [ -d "/sys/class/net/$b" ] && j=$(batctl meshif "$b" mesh_json 2>/dev/null) && printf 'B\t%s\t%s\n' "$b" "$j"; done; fi"#,
        ]
    }
}

/// Turns the network records into ``LiveNetwork``; everything in them is the gateway's word, checked before use.
struct LiveNetworkReader {
    let probe: NetworkProbe?
    private var network: LiveNetwork?

    init(probe: NetworkProbe?) { self.probe = probe }

    /// nil when the probe was not asked to read the network: plan then leaves links alone.
    var facts: LiveNetwork? { network }

    mutating func read(_ fields: [String]) throws(LiveNetworkError) {
        guard let probe else { throw LiveNetworkError("\(fields[0]) record, but the network was not asked for") }
        switch fields[0] {
        case "N":
            network = network ?? LiveNetwork()
        case "n":
            guard network != nil, fields.count == 2 else { throw LiveNetworkError("n record out of place or with \(fields.count) fields") }
            let all = try Self.links(fromIPJSON: fields[1], keeping: probe)
            network?.links = all.filter { !probe.keeps($0.key).peer }
            network?.peerLinks = all.filter { probe.keeps($0.key).peer }
        case "D":
            network?.drained = true
        case "B":
            guard network != nil, fields.count == 3 else { throw LiveNetworkError("B record out of place or with \(fields.count) fields") }
            guard probe.batman.contains(fields[1]) else { throw LiveNetworkError("B record names \(Echo.quoted(fields[1])), which was not asked for") }
            network?.batman[fields[1]] = try Self.batman(fromMeshJSON: fields[2])
        default:
            throw LiveNetworkError("unknown record \(Echo.quoted(fields[0]))")
        }
    }

    /// `ip -j -d addr show` → the links `probe` keeps, its peer links among them; other links are not decoded at all.
    static func links(fromIPJSON text: String, keeping probe: NetworkProbe) throws(LiveNetworkError) -> [String: LinkFact] {
        let entries: [IPLinkEntry]
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[IPLinkEntry.wanted] = probe
            entries = try decoder.decode([IPLinkEntry].self, from: Data(text.utf8))
        } catch {
            throw LiveNetworkError("ip -j output is not a list of links (\(Self.brief(error)))")
        }
        var links: [String: LinkFact] = [:]
        for entry in entries {
            guard let fact = entry.fact else { continue }
            guard links[entry.name] == nil else { throw LiveNetworkError("ip -j output names \(entry.name) twice") }
            links[entry.name] = fact
        }
        return links
    }

    /// `batctl meshif X mesh_json` → the settings plan compares; a value outside its kernel range is refused.
    static func batman(fromMeshJSON text: String) throws(LiveNetworkError) -> BatmanFact {
        let mesh: MeshJSON
        do {
            mesh = try JSONDecoder().decode(MeshJSON.self, from: Data(text.utf8))
        } catch {
            throw LiveNetworkError("batctl mesh_json output is not a mesh (\(Self.brief(error)))")
        }
        guard ["BATMAN_IV", "BATMAN_V"].contains(mesh.algo_name) else { throw LiveNetworkError("unknown routing algorithm \(Echo.quoted(mesh.algo_name))") }
        guard ["off", "client", "server"].contains(mesh.gw_mode) else { throw LiveNetworkError("unknown gw_mode \(Echo.quoted(mesh.gw_mode))") }
        let u32 = 0...Int(UInt32.max)
        guard u32.contains(mesh.gw_bandwidth_down), u32.contains(mesh.gw_bandwidth_up), (0...255).contains(mesh.hop_penalty), u32.contains(mesh.orig_interval) else {
            throw LiveNetworkError("batctl mesh_json holds a value out of its range")
        }
        return BatmanFact(routingAlgorithm: mesh.algo_name, gatewayMode: mesh.gw_mode, gatewayBandwidthDown: mesh.gw_bandwidth_down,
                          gatewayBandwidthUp: mesh.gw_bandwidth_up, hopPenalty: mesh.hop_penalty, originatorInterval: mesh.orig_interval,
                          multicastMode: !mesh.multicast_forceflood_enabled)
    }

    private static func brief(_ error: any Error) -> String {
        if case DecodingError.keyNotFound(let key, _) = error { return "no \(key.stringValue)" }
        if case DecodingError.typeMismatch(_, let context) = error { return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))" }
        return "not JSON"
    }
}

/// The network records made no sense; ProbeOutputParser names the line.
struct LiveNetworkError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One element of `ip -j -d addr show`; only wanted links are decoded past their name.
private struct IPLinkEntry: Decodable {
    static let wanted = CodingUserInfoKey(rawValue: "wanted")!
    let name: String
    let fact: LinkFact?

    private enum Keys: String, CodingKey { case ifname, flags, master, linkinfo, addr_info, address }
    private enum InfoKeys: String, CodingKey { case info_kind, info_data }
    private enum DataKeys: String, CodingKey { case mcast_snooping }
    private struct Address: Decodable {
        let family: String
        let local: String
        let prefixlen: Int
        let scope: String?
        let dadfailed: Bool?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        name = try container.decode(String.self, forKey: .ifname)
        guard (decoder.userInfo[Self.wanted] as? NetworkProbe)?.keeps(name).kept == true else { fact = nil; return }
        let flags = try container.decodeIfPresent([String].self, forKey: .flags) ?? []
        // Only compared with gwsetup's own names; one outside their grammar is kept quoted, for the plan to show.
        let master = try container.decodeIfPresent(String.self, forKey: .master).map { FieldGrammar.interfaceNameDefect($0) == nil ? $0 : Echo.quoted($0) }
        var snooping: Bool?
        if container.contains(.linkinfo) {
            let info = try container.nestedContainer(keyedBy: InfoKeys.self, forKey: .linkinfo)
            if try info.decodeIfPresent(String.self, forKey: .info_kind) == "bridge", info.contains(.info_data) {
                let data = try info.nestedContainer(keyedBy: DataKeys.self, forKey: .info_data)
                snooping = try data.decodeIfPresent(Int.self, forKey: .mcast_snooping).map { $0 != 0 }
            }
        }
        var addresses: [String] = []
        for address in try container.decodeIfPresent([Address].self, forKey: .addr_info) ?? [] {
            guard address.scope == "global", address.dadfailed != true else { continue }
            let canonical: String? = switch address.family {
            case "inet": IPv4Address(address.local).flatMap { (0...32).contains(address.prefixlen) ? "\($0)/\(address.prefixlen)" : nil }
            case "inet6": IPv6Address(address.local).flatMap { (0...128).contains(address.prefixlen) ? "\($0)/\(address.prefixlen)" : nil }
            default: ""
            }
            guard let canonical else {
                throw DecodingError.dataCorruptedError(forKey: .addr_info, in: container, debugDescription: "not an address")
            }
            if !canonical.isEmpty { addresses.append(canonical) }
        }
        // Only compared with the MAC gwsetup renders; anything else (a tunnel's address) is no MAC to compare.
        let mac = try container.decodeIfPresent(String.self, forKey: .address).map { $0.lowercased() }
            .flatMap { $0.range(of: #"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$"#, options: .regularExpression) != nil ? $0 : nil }
        fact = LinkFact(up: flags.contains("UP"), master: master, addresses: addresses.sorted(), multicastSnooping: snooping, mac: mac)
    }
}

/// The part of `batctl meshif X mesh_json` plan compares; batctl prints every attribute the kernel sends.
private struct MeshJSON: Decodable {
    let algo_name: String
    let gw_mode: String
    let gw_bandwidth_down: Int
    let gw_bandwidth_up: Int
    let hop_penalty: Int
    let orig_interval: Int
    let multicast_forceflood_enabled: Bool
}
