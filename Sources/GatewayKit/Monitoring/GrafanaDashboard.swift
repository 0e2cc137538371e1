import Foundation

/// A Grafana dashboard over the gateways; each panel's query names only metrics a gateway's node-exporter emits.
enum GrafanaDashboard {
    /// Title and PromQL of each panel, one time series panel each.
    static let panels: [(title: String, expr: String, legend: String)] = [
        ("Mesh clients", "gwsetup_batadv_tt_clients", "{{gateway}} {{domain}}"),
        ("batman-adv originators", "gwsetup_batadv_originators", "{{gateway}} {{domain}}"),
        ("Gateways seen in the mesh", "gwsetup_batadv_gateways", "{{gateway}} {{domain}}"),
        ("fastd peers connected", "gwsetup_fastd_peers_connected", "{{gateway}} {{domain}}"),
        ("DHCP pool use", "gwsetup_dhcp_leases_in_use / gwsetup_dhcp_pool_size", "{{gateway}} {{domain}}"),
        ("conntrack use", "gwsetup_conntrack_entries / gwsetup_conntrack_max", "{{gateway}}"),
        ("Uplink up", "gwsetup_uplink_up", "{{gateway}}"),
        ("Drained", "gwsetup_drained", "{{gateway}}"),
        ("Uplink transitions", "increase(gwsetup_uplink_transitions_total[1h])", "{{gateway}} to {{to}}"),
        ("respondd queries answered", "rate(gwsetup_respondd_queries_answered_total[5m])", "{{gateway}} {{domain}}"),
        ("Load", "node_load1", "{{gateway}}"),
        ("Memory available", "node_memory_MemAvailable_bytes", "{{gateway}}"),
        ("Traffic received", "rate(node_network_receive_bytes_total[5m]) * 8", "{{gateway}} {{device}}"),
        ("Traffic sent", "rate(node_network_transmit_bytes_total[5m]) * 8", "{{gateway}} {{device}}"),
    ]

    static func json(siteName: String) throws -> String {
        let panelObjects: [[String: Any]] = panels.enumerated().map { index, panel in
            [
                "id": index + 1, "type": "timeseries", "title": panel.title,
                "datasource": ["type": "prometheus", "uid": "${datasource}"],
                "gridPos": ["h": 8, "w": 12, "x": (index % 2) * 12, "y": (index / 2) * 8],
                "targets": [["refId": "A", "expr": panel.expr, "legendFormat": panel.legend,
                             "datasource": ["type": "prometheus", "uid": "${datasource}"]]],
            ]
        }
        let dashboard: [String: Any] = [
            "title": "\(siteName) gateways", "uid": "gwsetup-gateways", "schemaVersion": 39, "version": 1,
            "tags": ["gwsetup", "freifunk"], "time": ["from": "now-24h", "to": "now"], "refresh": "1m",
            "templating": ["list": [["name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus"]]],
            "panels": panelObjects,
        ]
        let data = try JSONSerialization.data(withJSONObject: dashboard, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
