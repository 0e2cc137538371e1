import GatewayBase
import FirewallKit

/// The firewall intents a site implies for one gateway, derived from the site so no one keeps a list per gateway.
///
/// Each intent is one packet and what must happen to it; its name is the sentence an admin reads
/// ("IPv4 mesh ffx: DNS over UDP from clients is answered"). IPv4 intents come first, then IPv6.
public enum FirewallIntents {
    public static func derive(site: Site, gateway: Gateway) -> [FirewallIntent] {
        builders(site: site, gateway: gateway).flatMap { builder in
            builder.meshes.flatMap(builder.meshIntents) + builder.uplinkIntents() + builder.openingIntents()
                + builder.meshes.flatMap(builder.forwardIntents)
        }
    }

    /// The intents that keep the admins in: a NEW SSH connection from every allowed source is accepted on the uplink.
    public static func adminSSH(site: Site, gateway: Gateway) -> [FirewallIntent] {
        builders(site: site, gateway: gateway).flatMap { $0.sshAccepted() }
    }

    private static func builders(site: Site, gateway: Gateway) -> [IntentBuilder] {
        let views = site.views(for: gateway)
        return [IPFamily.ipv4, .ipv6].map { family in
            let addresses = family == .ipv4 ? IntentAddresses.v4(allowedSSH: site.access.sshAllowedSources)
                                            : IntentAddresses.v6(allowedSSH: site.access.sshAllowedSources)
            return IntentBuilder(site: site, gateway: gateway, addresses: addresses, meshes: views.compactMap { MeshSide(view: $0, family: family, exit: site.exit) })
        }
    }
}
