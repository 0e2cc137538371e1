import GatewayBase
import FirewallKit

/// Builds one family's intents for one gateway; split over files by where the packet comes from.
struct IntentBuilder: Sendable {
    let site: Site
    let gateway: Gateway
    let addresses: IntentAddresses
    let meshes: [MeshSide]

    var family: IPFamily { addresses.family }
    var uplink: String { gateway.uplink }

    /// `key` is the intent's ``IntentID`` less the family, which this builder knows.
    func intent(_ key: (scope: IntentID.Scope, domain: String?, service: String), _ scope: String, _ sentence: String,
                _ packet: Packet, _ path: PacketPath, _ expectation: FirewallIntent.Expectation) -> FirewallIntent {
        let id = IntentID(family: family, scope: key.scope, domain: key.domain, service: key.service)
        return FirewallIntent("\(family.displayName) \(scope): \(sentence)", id: id.description, packet: packet, path: path, expect: expectation)
    }
}

extension Packet {
    /// The packet with the address types the kernel would see; known by construction, so `-m addrtype` rules stay decidable.
    func typed(source: AddressTypes, destination: AddressTypes, packetType: PacketType = .unicast) -> Packet {
        var copy = self
        copy.sourceAddressTypes = source
        copy.destinationAddressTypes = destination
        copy.packetType = packetType
        return copy
    }
}
