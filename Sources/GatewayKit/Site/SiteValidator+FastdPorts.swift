/// fastd ports: every instance of a domain needs a port of its own, on the domain's default and on each gateway's override.
extension SiteValidator {
    /// The domain's own ports (used by every gateway without `fastd_port`) against SSH and the other domains'.
    mutating func checkFastdPorts(of domain: MeshDomain, at path: String, claimed ports: inout [Int: String]) {
        for instance in domain.fastdInstances(on: nil) {
            let what = instance.number == 1 ? "fastd port \(instance.port)" : "fastd port \(instance.port) (instance \(instance.number))"
            if instance.port > 65535 {
                fail("\(path).fastd.instances", "\(what) of domain '\(domain.code)' is above 65535; lower 'fastd.port' or 'fastd.instances'")
                return
            }
            if let owner = ports[instance.port] {
                fail(instance.number == 1 ? "\(path).fastd.port" : "\(path).fastd.instances", "\(what) of domain '\(domain.code)' collides with \(owner)")
            }
            ports[instance.port] = instance.number == 1 ? "the fastd port of domain '\(domain.code)'" : "fastd port \(instance.port) (instance \(instance.number)) of domain '\(domain.code)'"
        }
    }

    /// Each gateway with a `fastd_port`: its ports against SSH and the ports of its other domains.
    mutating func checkGatewayFastdPorts() {
        for (index, gateway) in site.gateways.enumerated() where gateway.domains.contains(where: { $0.fastdPort != nil }) {
            var ports: [Int: (text: String, path: String, overridden: Bool)] = [site.access.sshPort: ("the SSH port", "access.ssh_port", false)]
            for entry in gateway.domains {
                guard let domain = site.domain(entry.code) else { continue }
                let path = "gateways.\(index).addresses.\(entry.code).fastd_port"
                for instance in domain.fastdInstances(on: entry) {
                    let what = "fastd port \(instance.port)\(instance.number == 1 ? "" : " (instance \(instance.number))") of gateway '\(gateway.name)' in domain '\(domain.code)'"
                    if instance.port > 65535 {
                        fail(path, "\(what) is above 65535")
                        break
                    }
                    // Without an override on either side the domain check has said it already.
                    if let owner = ports[instance.port], entry.fastdPort != nil || owner.overridden {
                        fail(entry.fastdPort != nil ? path : owner.path, "\(what) collides with \(owner.text)")
                    }
                    ports[instance.port] = (what, path, entry.fastdPort != nil)
                }
            }
        }
    }
}
