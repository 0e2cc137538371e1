/// Kernel settings: forwarding, no reverse-path filter on mesh paths, room for many neighbours and flows.
struct KernelSettings {
    let sysctl: [SysctlSetting]
    let modules: [String]
}

extension DesiredStateBuilder {
    func kernelSettings(_ views: [GatewayDomainView]) -> KernelSettings {
        func setting(_ key: String, _ value: String, optional: Bool = false) -> SysctlSetting {
            SysctlSetting(key: key, value: value, optional: optional)
        }
        let sysctl = [
            setting("net.ipv4.ip_forward", "1"),
            setting("net.ipv6.conf.all.forwarding", "1"),
            setting("net.ipv4.conf.all.rp_filter", "0"),
            setting("net.ipv4.conf.default.rp_filter", "0"),
            setting("net.netfilter.nf_conntrack_max", "262144"),
            setting("net.bridge.bridge-nf-call-iptables", "0", optional: true),
            setting("net.bridge.bridge-nf-call-ip6tables", "0", optional: true),
            setting("net.bridge.bridge-nf-call-arptables", "0", optional: true),
            setting("net.ipv4.neigh.default.gc_thresh1", "2048"),
            setting("net.ipv4.neigh.default.gc_thresh2", "4096"),
            setting("net.ipv4.neigh.default.gc_thresh3", "8192"),
            setting("net.ipv6.neigh.default.gc_thresh1", "2048"),
            setting("net.ipv6.neigh.default.gc_thresh2", "4096"),
            setting("net.ipv6.neigh.default.gc_thresh3", "8192"),
        ]
        // fastd's offload refuses to start unless it can make a test L2TP session; loaded ones are certain, and plan sees them.
        let l2tp = views.contains { $0.domain.offloadsL2TP } ? FastdL2TPOffload.modules : []
        return KernelSettings(sysctl: sysctl, modules: ["batman_adv", "nf_conntrack"] + l2tp)
    }

    func kernelFiles(_ kernel: KernelSettings) throws -> [ManagedFile] {
        let settings: [[String: any Sendable]] = kernel.sysctl.map { ["optional": $0.optional, "key": $0.key, "value": $0.value] }
        return [
            ManagedFile(path: "/etc/modules-load.d/gwsetup.conf",
                        content: try renderer.render("modules/gwsetup.conf", ["modules": kernel.modules]),
                        triggers: [.restart("systemd-modules-load.service")]),
            ManagedFile(path: "/etc/sysctl.d/90-gwsetup.conf",
                        content: try renderer.render("sysctl/gwsetup.conf", ["settings": settings]),
                        triggers: [.restart("systemd-sysctl.service")]),
        ]
    }
}
