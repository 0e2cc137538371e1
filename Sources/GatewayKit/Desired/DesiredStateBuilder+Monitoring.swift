/// Traffic statistics (vnstat) and metrics (prometheus-node-exporter) on the gateway.
extension DesiredStateBuilder {
    /// node-exporter's port, opened on the mesh bridges only.
    public static let nodeExporterPort = 9100
    static let vnstatDropIn = "/etc/systemd/system/vnstat.service.d/gwsetup.conf"
    static let nodeExporterDropIn = "/etc/systemd/system/prometheus-node-exporter.service.d/gwsetup.conf"
    static let nodeExporterUnit = "prometheus-node-exporter.service"
    /// Where Debian's node-exporter reads *.prom files and the agent writes its own.
    public static let textfileDirectory = "/var/lib/prometheus/node-exporter"

    func monitoringPackages() -> [String] {
        site.services.monitoring.nodeExporter ? ["prometheus-node-exporter"] : []
    }

    func monitoringUnits() -> [String] {
        site.services.monitoring.nodeExporter ? [Self.nodeExporterUnit] : []
    }

    /// The addresses node-exporter listens on: the gateway's own on every mesh bridge, never the uplink.
    func nodeExporterListenAddresses(_ views: [GatewayDomainView]) -> [String] {
        views.flatMap { view in
            [view.entry.ipv4.map { "\($0):\(Self.nodeExporterPort)" }, "[\(view.entry.ipv6)]:\(Self.nodeExporterPort)"].compactMap(\.self)
        }
    }

    func monitoringFiles(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> [ManagedFile] {
        let monitoring = site.services.monitoring
        var files: [ManagedFile] = []
        if monitoring.vnstat {
            // A multi-TAP domain's peer interfaces come and go, which vnstat cannot follow: its bat-X counts their traffic.
            let interfaces = [gateway.uplink] + views.flatMap { view in
                view.domain.offloadsL2TP ? [view.domain.batmanInterface] : view.domain.fastdInstances(on: view.entry).map(\.interface)
            }
            files.append(ManagedFile(
                path: Self.vnstatDropIn,
                content: try renderer.render("systemd/vnstat-gwsetup.conf", ["site_name": site.identity.name, "interfaces": interfaces]),
                triggers: [.command(.daemonReload), .restart("vnstat.service")]))
        }
        if monitoring.nodeExporter {
            files.append(ManagedFile(
                path: Self.nodeExporterDropIn,
                content: try renderer.render("systemd/node-exporter-gwsetup.conf", [
                    "site_name": site.identity.name, "listen": nodeExporterListenAddresses(views),
                    "textfile_directory": Self.textfileDirectory,
                ]),
                triggers: [.command(.daemonReload), .restart(Self.nodeExporterUnit)]))
        }
        return files
    }
}
