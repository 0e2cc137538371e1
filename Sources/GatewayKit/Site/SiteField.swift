import Foundation

/// Every string-valued key of the site file, named as SITE-REFERENCE.md names it, with its grammar.
/// SiteReader reads strings only through a field, so a key added later cannot skip its grammar.
enum SiteField: String, CaseIterable, Sendable {
    case siteCode = "site.code"
    case siteName = "site.name"
    case siteDNSDomain = "site.dns_domain"
    case siteTimezone = "site.timezone"
    case siteTemplates = "site.templates"
    case domainCode = "domains[].code"
    case domainInterfaceName = "domains[].interface_name"
    case domainPrefix4 = "domains[].prefix4"
    case domainPrefix6 = "domains[].prefix6"
    case fastdMethods = "domains[].fastd.methods"
    case routingAlgorithm = "domains[].batman.routing_algo"
    case gatewayBandwidth = "domains[].batman.gw_bandwidth"
    case domainDHCPRange = "domains[].dhcp.range"
    case nextNodeIPv4 = "domains[].next_node.ipv4"
    case nextNodeIPv6 = "domains[].next_node.ipv6"
    case nextNodeMAC = "domains[].next_node.mac"
    case domainSeed = "domains[].domain_seed"
    case domainFirmwareNTPServers = "domains[].firmware.ntp_servers"
    case domainFirmwareDNSServers = "domains[].firmware.dns_servers"
    case defaultRouters = "domains[].router_advertisement.default_routers"
    case dnsForwarders = "services.dns.forwarders"
    /// The keys of `local_records`: the names the gateways answer for.
    case localRecordName = "services.dns.local_records"
    case localRecordAddress = "services.dns.local_records.<name>"
    case ntpServers = "services.ntp.servers"
    case monitoringContact = "services.monitoring.contact"
    case fail2banBanTime = "services.fail2ban.sshd.bantime"
    case fail2banFindTime = "services.fail2ban.sshd.findtime"
    case uplinkCheckTargets = "services.uplink_check.targets"
    case adminName = "access.admins[].name"
    case adminKeys = "access.admins[].keys"
    case sshAllowFrom = "access.ssh_allow_from"
    case gatewayName = "gateways[].name"
    case gatewaySSH = "gateways[].ssh"
    case gatewaySSHUser = "gateways[].ssh.user"
    case gatewaySSHHost = "gateways[].ssh.host"
    case uplink = "gateways[].uplink"
    /// The keys of `addresses`: domain codes.
    case addressDomain = "gateways[].addresses"
    case gatewayIPv4 = "gateways[].addresses.<domain>.ipv4"
    case gatewayIPv6 = "gateways[].addresses.<domain>.ipv6"
    case gatewayDHCPRange = "gateways[].addresses.<domain>.dhcp_range"
    case fastdPublicKey = "gateways[].addresses.<domain>.fastd_public_key"
    case fastdSecretFile = "gateways[].addresses.<domain>.fastd_secret_file"
    case publicHost = "gateways[].public_host"
    case firmwareNTPServers = "firmware.ntp_servers"
    case firmwareDNSServers = "firmware.dns_servers"
    case firmwareLayout = "firmware.layout"
    case firmwareDefaultDomain = "firmware.default_domain"
    /// The keys of `domain_names`: Gluon domain codes; its values are the names shown in config mode.
    case domainFirmwareDomainNames = "domains[].firmware.domain_names"
    case domainFirmwareDisplayName = "domains[].firmware.domain_names.<code>"
    case domainFirmwareHideDomain = "domains[].firmware.hide_domain"
    case domainFirmwarePeerGroupName = "domains[].firmware.peer_groups[].name"
    case gatewayGluonPeer = "gateways[].gluon_peer"
    case gatewayGluonWireGuardPeer = "gateways[].gluon_wireguard_peer"
    case gatewayFirmwareRemotes = "gateways[].addresses.<domain>.remotes"
    case gatewayPeerGroup = "gateways[].addresses.<domain>.peer_group"
    case firewallOpenName = "firewall.open[].name"
    case firewallOpenSide = "firewall.open[].on"
    case firewallOpenProtocol = "firewall.open[].proto"
    /// A port range as text; a single port is a YAML integer.
    case firewallOpenPort = "firewall.open[].port"
    case firewallOpenFrom = "firewall.open[].from"
    case backboneKind = "backbone.kind"
    case tincPublicKey = "gateways[].tinc_public_key"
    case exitEndpoint = "exit.endpoint"
    case exitPublicKey = "exit.public_key"
    case exitFallback = "exit.fallback"
    case exitDomains = "exit.domains"
    case gatewayExitAddress = "gateways[].exit_address"
    case wireguardPeers = "domains[].wireguard.peers"
    case gatewayWireGuardPublicKey = "gateways[].wireguard_public_key"

    var grammar: FieldGrammar {
        switch self {
        case .siteCode: .identifier(maxLength: 32)
        case .siteName: .text(maxLength: 100)
        case .monitoringContact: .text(maxLength: 200)
        case .siteDNSDomain, .localRecordName: .dnsName
        case .siteTimezone: .timezone
        case .siteTemplates: .path
        case .domainCode, .addressDomain: .identifier(maxLength: 32)
        case .domainInterfaceName: .identifier(maxLength: 32)
        case .domainPrefix4: .parsed("IPv4 prefix, no host bits, a mesh prefix")
        case .domainPrefix6: .parsed("IPv6 /64 prefix, no host bits, a mesh prefix")
        case .fastdMethods: .fastdMethod
        case .routingAlgorithm: .parsed("BATMAN_IV or BATMAN_V")
        case .gatewayBandwidth: .parsed("down[/up] with kbit/mbit")
        case .domainDHCPRange, .gatewayDHCPRange: .parsed("IPv4 range first-last of unicast addresses")
        case .nextNodeIPv4, .gatewayIPv4: .parsed("IPv4 unicast address")
        case .nextNodeIPv6, .gatewayIPv6: .parsed("IPv6 unicast address")
        case .nextNodeMAC: .parsed("MAC address")
        case .domainSeed, .fastdPublicKey: .parsed("64 hex digits")
        case .fastdSecretFile: .path
        case .domainFirmwareNTPServers, .ntpServers, .firmwareNTPServers, .gatewaySSHHost, .publicHost: .host
        case .domainFirmwareDNSServers, .dnsForwarders, .firmwareDNSServers, .localRecordAddress: .parsed("IP unicast address")
        case .defaultRouters, .gatewayName: .hostLabel
        case .fail2banBanTime, .fail2banFindTime: .parsed("duration")
        case .uplinkCheckTargets: .parsed("IP address, or http://ADDRESS[:PORT]/PATH")
        case .adminName: .adminName
        case .adminKeys: .parsed("authorized_keys line without options")
        case .sshAllowFrom: .parsed("IP prefix, not loopback, multicast, link-local or mapped")
        case .gatewaySSH: .sshTarget
        case .gatewaySSHUser: .loginUser
        case .uplink: .interfaceName
        case .firmwareLayout: .parsed("fastd_mesh_vpn.backbone, fastd_mesh_vpn.groups, mesh_vpn.mtu or mesh_vpn.fastd.mtu")
        case .firmwareDefaultDomain, .domainFirmwareDomainNames, .domainFirmwareHideDomain: .parsed("Gluon domain code: letters, digits, '.', '_', '-'")
        case .domainFirmwareDisplayName: .text(maxLength: 100)
        case .domainFirmwarePeerGroupName, .gatewayPeerGroup: .parsed("Gluon group names (letters, digits, '_') joined by '/'")
        case .gatewayGluonPeer: .parsed("Gluon peer name: letters, digits, '_'")
        case .gatewayGluonWireGuardPeer: .parsed("Gluon peer name: letters, digits, '_'")
        case .firewallOpenName: .ruleName(maxLength: 24)
        case .firewallOpenSide: .parsed("uplink or mesh")
        case .firewallOpenProtocol: .parsed("tcp or udp")
        case .firewallOpenPort: .parsed("port 1-65535, or a range FIRST-LAST")
        case .firewallOpenFrom: .parsed("IP prefix")
        case .backboneKind: .parsed("tinc")
        case .tincPublicKey: .parsed("base64 of an RSA public key (PKCS#1 DER, 2048-8192 bits) on one line")
        case .exitEndpoint: .parsed("HOST:PORT or [IPv6]:PORT; HOST an IP address or a host name")
        case .exitPublicKey: .parsed("WireGuard public key: 32 bytes in base64 (44 characters)")
        case .exitFallback: .parsed("none or uplink")
        case .exitDomains: .identifier(maxLength: 32)
        case .gatewayExitAddress: .parsed("IPv4 unicast address with prefix length, a.b.c.d/n")
        case .wireguardPeers: .path
        case .gatewayWireGuardPublicKey: .parsed("WireGuard public key: 32 bytes in base64 (44 characters)")
        case .gatewayFirmwareRemotes: .parsed("fastd remote: \"host\" port N, ipv4/ipv6 \"host\" port N, a.b.c.d:N, [v6]:N")
        }
    }

    /// Checked by SiteValidator instead, so it is reported together with the site's other errors.
    var isCheckedByValidator: Bool { self == .uplink }

    /// How messages name the field: its last key (`uplink`, `ntp_servers`).
    var label: String {
        let last = rawValue.split(separator: ".").last.map(String.init) ?? rawValue
        return last.hasPrefix("<") ? rawValue.split(separator: ".").dropLast().last.map(String.init) ?? last : last.replacingOccurrences(of: "[]", with: "")
    }
}
