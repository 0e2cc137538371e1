/// The mesh itself: one fastd instance, batman-adv interface and client bridge per domain.
extension DesiredStateBuilder {
    func meshFiles(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> [ManagedFile] {
        var files: [ManagedFile] = []
        for view in views {
            let domain = view.domain
            let (down, up) = Self.networkdBandwidth(domain.batman.gatewayBandwidth)
            var context: [String: any Sendable] = [
                "site_name": site.identity.name, "domain": domain.code,
                "interface": domain.fastdInterface, "batman_interface": domain.batmanInterface, "bridge": domain.bridgeInterface,
                "methods": domain.fastd.methods, "port": domain.fastd.port, "mtu": domain.mtu,
                "bandwidth_down": down, "bandwidth_up": up,
                "routing_algorithm": domain.batman.routingAlgorithm == .batmanV ? "batman-v" : "batman-iv",
                "hop_penalty": domain.batman.hopPenalty,
                "originator_interval": Self.seconds(milliseconds: domain.batman.originatorInterval),
                "mac": view.mac, "multicast_snooping": domain.batman.multicastOptimizations ? "yes" : "no",
                "multicast_forceflood": domain.batman.multicastOptimizations ? 0 : 1,
                "ipv6": "\(view.entry.ipv6)/\(domain.prefix6.prefixLength)",
            ]
            context["exit"] = exitRules(view, views)
            context["peer_limit"] = domain.fastd.peerLimit.map { $0 as any Sendable } ?? false
            if let address = view.entry.ipv4, let prefix = domain.prefix4 {
                context["ipv4"] = "\(address)/\(prefix.prefixLength)"
            } else {
                context["ipv4"] = false
            }
            let instances = domain.fastdInstances(on: view.entry)
            for instance in instances {
                files.append(ManagedFile(
                    path: instance.configPath, content: try renderer.render("fastd/fastd.conf", fastdContext(context, instance)),
                    validator: #"fastd --verify-config --config "$FILE""#, triggers: [.restart(instance.unit)]))
            }
            let networkd: [ServiceTrigger] = [.restart("systemd-networkd.service")] + instances.map { .restart($0.unit) }
            for (template, name) in [("batman.netdev", "30-\(domain.batmanInterface).netdev"), ("batman.network", "30-\(domain.batmanInterface).network"),
                                     ("bridge.netdev", "20-\(domain.bridgeInterface).netdev"), ("bridge.network", "20-\(domain.bridgeInterface).network")] {
                files.append(ManagedFile(
                    path: "/etc/systemd/network/\(name)", content: try renderer.render("networkd/\(template)", context),
                    triggers: networkd))
            }
        }
        return files
    }

    /// batctl's `100mbit/20mbit` as networkd's `100M`/`20M`; without `/up`, up is a fifth of down, as batctl does.
    static func networkdBandwidth(_ text: String) -> (down: String, up: String) {
        func convert(_ part: Substring) -> (value: Int, unit: String) {
            let lower = part.lowercased()
            if lower.hasSuffix("mbit") { return (Int(lower.dropLast(4)) ?? 0, "M") }
            if lower.hasSuffix("kbit") { return (Int(lower.dropLast(4)) ?? 0, "K") }
            return (Int(lower) ?? 0, "K")
        }
        let parts = text.split(separator: "/")
        let down = convert(parts[0])
        let up: (value: Int, unit: String)
        if parts.count > 1 {
            up = convert(parts[1])
        } else if down.unit == "M" && down.value % 5 == 0 {
            up = (down.value / 5, "M")
        } else {
            up = (down.value * (down.unit == "M" ? 1000 : 1) / 5, "K")
        }
        return ("\(down.value)\(down.unit)", "\(up.value)\(up.unit)")
    }

    static func seconds(milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(milliseconds / 1000).\(String(format3(milliseconds % 1000)))"
    }

    private static func format3(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: 3 - text.count) + text
    }
}
