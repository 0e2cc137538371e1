/// Gathers the gateway's own metrics into families for node-exporter's textfile collector.
public struct MetricsCollector: Sendable {
    public let config: MetricsConfig
    public let inputs: any MetricsInputs

    public init(config: MetricsConfig, inputs: any MetricsInputs) {
        self.config = config
        self.inputs = inputs
    }

    /// Every metric name the collector can emit; the dashboard and alert rules use only these (and node-exporter's).
    public static let names = [
        "gwsetup_batadv_originators", "gwsetup_batadv_gateways", "gwsetup_batadv_tt_clients",
        "gwsetup_fastd_peers_connected", "gwsetup_fastd_peer_limit", "gwsetup_fastd_up",
        "gwsetup_dhcp_leases_in_use", "gwsetup_dhcp_pool_size",
        "gwsetup_conntrack_entries", "gwsetup_conntrack_max",
        "gwsetup_uplink_up", "gwsetup_drained", "gwsetup_maintenance", "gwsetup_uplink_transitions_total",
        "gwsetup_respondd_queries_answered_total", "gwsetup_respondd_queries_limited_total",
    ]

    public func collect(uplink: UplinkFigures?, respondd: RespondCounters?) -> [MetricFamily] {
        var families: [MetricFamily] = []
        var originators: [MetricFamily.Sample] = [], gateways: [MetricFamily.Sample] = [], clients: [MetricFamily.Sample] = []
        var peers: [MetricFamily.Sample] = [], limits: [MetricFamily.Sample] = [], fastdUp: [MetricFamily.Sample] = []
        var leases: [MetricFamily.Sample] = [], pools: [MetricFamily.Sample] = []
        let leaseFile = inputs.file(config.leaseFile) ?? ""
        for domain in config.domains {
            let label = [("domain", domain.code)]
            let tables = inputs.batman(domain.mesh)
            originators.append(.init(label, Double(tables.originatorCount)))
            gateways.append(.init(label, Double(Set(tables.gateways.map(\.origAddress)).count)))
            clients.append(.init(label, Double(tables.clientCount)))
            // Several instances serve one domain: it is up when every one answers, its peers are their sum.
            if let socket = domain.fastdSocket {
                let statuses = ([socket] + (domain.moreFastdSockets ?? [])).map { inputs.fastd(socket: $0) }
                fastdUp.append(.init(label, statuses.contains { $0 == nil } ? 0 : 1))
                peers.append(.init(label, Double(statuses.reduce(0) { $0 + ($1?.peersConnected ?? 0) })))
            }
            if let limit = domain.fastdPeerLimit { limits.append(.init(label, Double(limit))) }
            if !domain.dhcpRanges.isEmpty {
                leases.append(.init(label, Double(DHCPLeases.inUse(leaseFile: leaseFile, ranges: domain.dhcpRanges))))
                pools.append(.init(label, Double(DHCPLeases.poolSize(domain.dhcpRanges))))
            }
        }
        families += [
            MetricFamily("gwsetup_batadv_originators", "Originators batman-adv knows in the domain.", .gauge, originators),
            MetricFamily("gwsetup_batadv_gateways", "Gateways batman-adv sees announced in the domain.", .gauge, gateways),
            MetricFamily("gwsetup_batadv_tt_clients", "Distinct client MACs in batman-adv's global translation table.", .gauge, clients),
            MetricFamily("gwsetup_fastd_up", "1 when fastd's status socket answered.", .gauge, fastdUp),
            MetricFamily("gwsetup_fastd_peers_connected", "fastd peers with an established connection.", .gauge, peers),
        ]
        if !limits.isEmpty { families.append(MetricFamily("gwsetup_fastd_peer_limit", "fastd's peer limit for the domain.", .gauge, limits)) }
        if !leases.isEmpty {
            families.append(MetricFamily("gwsetup_dhcp_leases_in_use", "dnsmasq leases inside this gateway's ranges.", .gauge, leases))
            families.append(MetricFamily("gwsetup_dhcp_pool_size", "Addresses in this gateway's DHCP ranges.", .gauge, pools))
        }
        if let count = number(inputs.file("/proc/sys/net/netfilter/nf_conntrack_count")),
           let max = number(inputs.file("/proc/sys/net/netfilter/nf_conntrack_max")) {
            families.append(MetricFamily("gwsetup_conntrack_entries", "Connections conntrack tracks now.", .gauge, [.init([], count)]))
            families.append(MetricFamily("gwsetup_conntrack_max", "nf_conntrack_max.", .gauge, [.init([], max)]))
        }
        if let uplink {
            families += [
                MetricFamily("gwsetup_uplink_up", "1 when the uplink probes pass.", .gauge, [.init([], uplink.up ? 1 : 0)]),
                MetricFamily("gwsetup_drained", "1 while the gateway is drained (uplink down or maintenance).", .gauge, [.init([], uplink.drained ? 1 : 0)]),
                MetricFamily("gwsetup_maintenance", "1 while maintenance is on.", .gauge, [.init([], uplink.maintenance ? 1 : 0)]),
                MetricFamily("gwsetup_uplink_transitions_total", "Uplink state changes since boot.", .counter,
                             [.init([("to", "down")], Double(uplink.transitionsDown)), .init([("to", "up")], Double(uplink.transitionsUp))]),
            ]
        }
        if let respondd {
            let codes = config.domains.map(\.code)
            families.append(MetricFamily("gwsetup_respondd_queries_answered_total", "respondd queries answered.", .counter,
                                         codes.map { .init([("domain", $0)], Double(respondd.answered[$0] ?? 0)) }))
            families.append(MetricFamily("gwsetup_respondd_queries_limited_total", "respondd queries refused by the rate limit.", .counter,
                                         codes.map { .init([("domain", $0)], Double(respondd.limited[$0] ?? 0)) }))
        }
        return families
    }

    /// Writes the families to the textfile atomically, so node-exporter never reads half a file.
    public func write(_ families: [MetricFamily]) -> Bool {
        SmallFile.writeAtomically(families.map(\.exposition).joined(), to: config.textfile)
    }

    private func number(_ text: String?) -> Double? {
        text.flatMap { Double($0.filter { !$0.isWhitespace }) }
    }
}
