import Foundation
import Testing
@testable import GatewayKit

/// The gateway agent on the live fleet: the uplink check drains a gateway and brings it back, maintenance by hand
/// survives the agent's restart, respondd answers on the mesh, node-exporter serves the agent's metrics, and systemd
/// replaces a killed or hung agent.
extension FleetFirewallEndToEndTests {
    /// Drops only the agent's probes (ICMP echo to qemu's host address) on the uplink; SSH and the mesh keep working.
    static let probeCut = "OUTPUT -o eth0 -d 10.0.2.2 -p icmp --icmp-type echo-request -m comment --comment e2e-uplink-cut -j DROP"

    /// `vm`'s originator address in north: batman-adv names a node by its primary hard interface's MAC (the header's
    /// `MainIF/MAC: vpn-north/…`), not by bat-north's own.
    static func originatorAddress(_ vm: TestVM) async throws -> String {
        let header = try await vm.run("batctl meshif bat-north originators | head -n1")
        guard let range = header.range(of: #"MainIF/MAC: [^/]+/([0-9a-f:]{17})"#, options: .regularExpression) else {
            throw VMError.commandFailed(name: vm.name, command: "batctl meshif bat-north originators", result: header)
        }
        return String(header[range].suffix(17))
    }

    /// A figure for BENCHMARKS.md, on stderr where the run's log keeps it.
    static func figure(_ text: String) {
        FileHandle.standardError.write(Data("figure: \(text)\n".utf8))
    }

    /// The address of `vm`'s br-north that its router advertisements come from.
    static func linkLocal(_ vm: TestVM) async throws -> String {
        let address = try await vm.run("ip -6 -o addr show dev br-north scope link | awk '{ print $4 }' | cut -d/ -f1 | head -n1")
        return address.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The client's IPv6 default routes after asking the routers to advertise (`rdisc6` sends one solicitation).
    static let defaultRoutes6 = "rdisc6 -1 -w 1000 veth-c >/dev/null 2>&1; ip -6 route show default"

    /// The line of `routes` that goes via `address`, if any.
    static func route(via address: String, in routes: String) -> String? {
        routes.split(separator: "\n").map(String.init).first { $0.contains("via \(address) ") }
    }

    /// The uplink check drains `gateway` (gwa, the client's gateway and its high-preference IPv6 router): its probes
    /// fail, and within the configured rounds it leaves gw_mode server, stops DHCP and announces router lifetime 0.
    /// The router stops choosing it but keeps it as an originator; the client's next lease, its web page over IPv4
    /// and IPv6 and its IPv6 default route come from `other` (gwb). With the probes back it serves again.
    static func drainByUplink(_ gateway: TestVM, other: TestVM, router: MeshRouter, north: MeshRouter.MeshLink) async throws {
        let originator = try await originatorAddress(gateway)
        let (drainedAddress, otherAddress) = (try await linkLocal(gateway), try await linkLocal(other))
        // Both gateways announce a default route: gwa, the site's chosen router, with preference high, gwb low (RFC 4191).
        let before = try await router.poll(defaultRoutes6, namespace: north.namespace) {
            route(via: drainedAddress, in: $0) != nil && route(via: otherAddress, in: $0) != nil
        }
        #expect(route(via: drainedAddress, in: before)?.contains("pref high") == true && route(via: otherAddress, in: before)?.contains("pref low") == true,
                "the client's IPv6 default routes before the drain (gwa \(drainedAddress) high, gwb \(otherAddress) low): \(before)")
        // North's prefix is routed, so the client reaches the host over IPv6 (no NAT66): through gwa, its
        // high-preference router.
        let client6 = try await clientAddresses6(router, north)
        try #require(!client6.isEmpty, "the north client has no address in north's routed prefix")
        try await routeBack(client6, through: [gateway, other])
        try await withHostHTTPServer(files: ["/over-ipv6.txt": Data("hello over IPv6\n".utf8)]) { server in
            let forwarded = try await forwardedToUplink6(gateway)
            let page = try await fetch6(router, north, server, "/over-ipv6.txt")
            #expect(page == "hello over IPv6\n", "IPv6 to the host through gwa: \(page)")
            let after = try await forwardedToUplink6(gateway)
            #expect(after > forwarded, "the IPv6 page did not come through gwa, the high-preference router (\(forwarded) → \(after) packets)")
        }

        try await gateway.run("iptables -I \(probeCut)")
        let drained = try await gateway.poll("batctl meshif bat-north gw_mode") { $0.hasPrefix("off") }
        figure("uplink loss to gw_mode off on \(gateway.name): \(drained.took) (interval 2 s, fail_after 2, timeout 1 s)")
        #expect(drained.output.hasPrefix("off"), "\(gateway.name) still announces itself after its uplink probes failed: \(drained.output)")
        let units = try await gateway.ssh("systemctl is-active dnsmasq radvd gwsetup-radvd-drain").stdoutText
        #expect(units == "inactive\ninactive\nactive\n", "\(gateway.name) drained: dnsmasq, radvd, radvd's drain variant: \(units)")
        let journal = try await gateway.run("journalctl -u gwsetup-agent -o cat --no-pager | grep -c -i drain || true")
        #expect((Int(journal.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 1, "no drain event in the agent's journal")

        let chosen = try await router.waitForGateways(1, batman: north.batman, fastdUnit: "fastd-north")
        #expect(!chosen.joined().contains(originator), "the router still lists drained \(gateway.name) (\(originator)): \(chosen)")
        let originators = try await router.vm.run("batctl meshif \(north.batman) o -H")
        #expect(originators.contains(originator), "drained \(gateway.name) left the mesh (no originator \(originator)): \(originators)")
        let after = try await router.poll(defaultRoutes6, namespace: north.namespace) {
            route(via: drainedAddress, in: $0) == nil && route(via: otherAddress, in: $0) != nil
        }
        #expect(route(via: drainedAddress, in: after) == nil && route(via: otherAddress, in: after) != nil,
                "the client's IPv6 default route did not move from \(gateway.name) (\(drainedAddress)) to \(other.name) (\(otherAddress)): \(after)")

        let released = try await router.client("dhclient -r -pf /run/dhclient-north.pid -lf /run/dhclient-north.leases veth-c", namespace: north.namespace)
        #expect(released.succeeded, "dhclient -r: \(released.stderrText)")
        let next = try await lease(router, in: north, file: "north-drained")
        #expect(next.server == "10.60.0.2" && next.router == "10.60.0.2", "after draining \(gateway.name) the lease came from \(next.server ?? "no server")")
        #expect(isIn(next.address, range: try await other.run(rangeCommand("north"))),
                "north after the drain: lease \(next.address ?? "none") is not in \(other.name)'s range")
        try await withHostHTTPServer(files: ["/while-drained.txt": Data("still online\n".utf8)]) { server in
            let page = try await router.client("curl -sS --max-time 60 \(server.urlFromGuest("/while-drained.txt"))", namespace: north.namespace)
            #expect(page.stdoutText == "still online\n", "HTTP through \(other.name) while \(gateway.name) is drained: \(page.stdoutText) \(page.stderrText)")
            let forwarded = try await forwardedToUplink6(other)
            let page6 = try await fetch6(router, north, server, "/while-drained.txt")
            #expect(page6 == "still online\n", "IPv6 to the host while \(gateway.name) is drained: \(page6)")
            let after = try await forwardedToUplink6(other)
            #expect(after > forwarded, "the IPv6 page did not come through \(other.name) (\(forwarded) → \(after) packets)")
        }
        let ping6 = try await router.client("ping -6 -c 3 -W 5 2001:db8:60:1::2", namespace: north.namespace)
        #expect(ping6.succeeded, "IPv6 to \(other.name) while \(gateway.name) is drained: \(ping6.stdoutText)")

        try await gateway.run("iptables -D \(probeCut)")
        let back = try await gateway.poll("batctl meshif bat-north gw_mode") { $0.hasPrefix("server") }
        figure("uplink back to gw_mode server on \(gateway.name): \(back.took) (recover_after 2)")
        #expect(back.output.hasPrefix("server"), "\(gateway.name) does not serve again with its uplink back: \(back.output)")
        let serving = try await gateway.poll("systemctl is-active dnsmasq radvd") { $0 == "active\nactive\n" }
        #expect(serving.output == "active\nactive\n", "\(gateway.name) back: dnsmasq and radvd: \(serving.output)")
        _ = try await router.waitForGateways(2, batman: north.batman, fastdUnit: "fastd-north")
    }

    /// `gwsetup maintenance on` drains gwb the same way and the drain outlives `systemctl restart gwsetup-agent`;
    /// plan and verify take the drained gateway as intended; `maintenance off` brings it back.
    static func maintenance(_ gwb: TestVM, run gwsetup: ([String]) async throws -> GwsetupCLI.Result) async throws {
        let on = try await gwsetup(["maintenance", "on", "--gateway", "gwb"])
        #expect(on.status == 0 && on.stdout == "gwb: maintenance on, drained\n", "maintenance on:\n\(on.output)")
        #expect(try await gwb.run("batctl meshif bat-north gw_mode; batctl meshif bat-south gw_mode").split(separator: "\n").allSatisfy { $0.hasPrefix("off") })
        let firstPID = try await gwb.run("systemctl show -P MainPID gwsetup-agent")
        try await gwb.run("systemctl restart gwsetup-agent")
        try await Task.sleep(for: .seconds(10))  // five probe rounds, all of them answered
        let restarted = try await gwb.run("systemctl show -P MainPID gwsetup-agent; systemctl is-active gwsetup-agent dnsmasq; batctl meshif bat-north gw_mode")
        let lines = restarted.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && lines[0] != firstPID.trimmingCharacters(in: .whitespacesAndNewlines) && lines[1] == "active"
                && lines[2] == "inactive" && lines[3].hasPrefix("off"),
                "after the agent's restart gwb must stay drained (new PID, agent active, dnsmasq inactive, gw_mode off): \(lines)")
        let plan = try await gwsetup(["plan", "--detailed-exitcode", "--gateway", "gwb"])
        #expect(plan.status == 0, "plan of the drained gwb:\n\(plan.output)")
        let verify = try await gwsetup(["verify", "--gateway", "gwb"])
        #expect(verify.status == 0, "verify of the drained gwb:\n\(verify.output)")
        let off = try await gwsetup(["maintenance", "off", "--gateway", "gwb"])
        #expect(off.status == 0 && off.stdout == "gwb: maintenance off, serving\n", "maintenance off:\n\(off.output)")
        let back = try await gwb.poll("batctl meshif bat-north gw_mode; systemctl is-active dnsmasq") { $0.hasPrefix("server") && $0.hasSuffix("\nactive\n") }
        #expect(back.output.hasPrefix("server") && back.output.hasSuffix("\nactive\n"), "gwb after maintenance off: \(back.output)")
    }

    /// A respondd client written to the protocol: sends `request` to `target` port 1001 from veth-c and prints every
    /// answer (raw deflate, JSON) that arrives within `seconds`, with its source and latency.
    static let respondQuery = #"""
        import json, socket, sys, time, zlib
        target, request, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
        index = socket.if_nametoindex("veth-c")
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
        s.settimeout(0.2)
        sent = time.monotonic()
        s.sendto(request.encode(), (target, 1001, 0, index if target.startswith("ff") else 0))
        answers = []
        while time.monotonic() - sent < seconds:
            try:
                data, source = s.recvfrom(65535)
            except socket.timeout:
                continue
            ms = round((time.monotonic() - sent) * 1000, 1)
            answers.append({"from": source[0], "ms": ms, "answer": json.loads(zlib.decompress(data, -15))})
        print(json.dumps(answers))
        """#

    /// Asks through `router`'s north client; the answers as parsed JSON.
    static func respondd(_ router: MeshRouter, _ north: MeshRouter.MeshLink, target: String, request: String) async throws -> [[String: Any]] {
        let result = try await router.client("python3 /root/respondd-query.py \(target) '\(request)' 3", namespace: north.namespace)
        try #require(result.succeeded, "respondd query to \(target): \(result.stderrText)")
        return (try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [[String: Any]]) ?? []
    }

    /// respondd from a client of the mesh: the multicast query is answered by both gateways and the unicast one by
    /// the gateway asked, each with its own node_id (its bat-north MAC), hostname, domain code and fastd public key.
    static func respondd(_ router: MeshRouter, _ north: MeshRouter.MeshLink, gateways: [TestVM], keys: [String: String]) async throws {
        try await router.vm.write(Data(respondQuery.utf8), to: "/root/respondd-query.py")
        var expected: [String: (hostname: String, key: String?)] = [:]
        for vm in gateways {
            let mac = try await vm.run("cat /sys/class/net/bat-north/address").trimmingCharacters(in: .whitespacesAndNewlines)
            expected[mac.replacingOccurrences(of: ":", with: "")] = (vm.name, keys["\(vm.name)/north"])
        }
        func check(_ answers: [[String: Any]], from names: Set<String>, _ what: String) {
            var seen: Set<String> = []
            for entry in answers {
                let nodeinfo = (entry["answer"] as? [String: Any])?["nodeinfo"] as? [String: Any]
                let id = nodeinfo?["node_id"] as? String ?? ""
                let system = nodeinfo?["system"] as? [String: Any]
                let fastd = (nodeinfo?["software"] as? [String: Any])?["fastd"] as? [String: Any]
                guard let want = expected[id] else {
                    Issue.record("\(what): an answer with node_id \(id), no gateway's bat-north MAC: \(entry)")
                    continue
                }
                seen.insert(want.hostname)
                #expect(nodeinfo?["hostname"] as? String == want.hostname && system?["domain_code"] as? String == "north"
                        && want.key != nil && fastd?["public_key"] as? String == want.key,
                        "\(what): \(want.hostname)'s nodeinfo does not match the gateway: \(nodeinfo ?? [:])")
                if let ms = entry["ms"] as? Double { figure("respondd \(what) answer from \(want.hostname): \(ms) ms") }
            }
            #expect(seen == names, "\(what): answers from \(seen.sorted()), expected \(names.sorted())")
        }
        check(try await respondd(router, north, target: "ff02::2:1001", request: "GET nodeinfo"), from: ["gwa", "gwb"], "multicast ff02::2:1001")
        check(try await respondd(router, north, target: "ff05::2:1001", request: "GET nodeinfo"), from: ["gwa", "gwb"], "multicast ff05::2:1001")
        check(try await respondd(router, north, target: "2001:db8:60:1::1", request: "GET nodeinfo"), from: ["gwa"], "unicast to gwa")
    }

    /// The value of the first sample of `name` whose labels contain `label` (or that has none), from a scrape.
    static func sample(_ name: String, label: String? = nil, in scrape: String) -> Double? {
        for line in scrape.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            if let label, !line.contains(label) { continue }
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    /// node-exporter on each gateway's mesh address, scraped from the client: the agent's metrics with live values,
    /// and every metric the shipped dashboard queries.
    static func metrics(_ router: MeshRouter, _ north: MeshRouter.MeshLink, gateways: [TestVM], dashboard: String) async throws {
        // The agent rewrites its metrics file every 30 s: scrape until a write has seen the last minute's events
        // (gwb serving again, the respondd queries), at most three writes.
        var scrapes: [String: String] = [:]
        let deadline = ContinuousClock.now.advanced(by: .seconds(100))
        repeat {
            for (vm, address) in zip(gateways, ["10.60.0.1", "10.60.0.2"]) {
                let scrape = try await router.client("curl -sS --max-time 30 http://\(address):9100/metrics", namespace: north.namespace)
                #expect(scrape.succeeded, "scraping \(vm.name) at \(address):9100: \(scrape.stderrText)")
                scrapes[vm.name] = scrape.stdoutText
            }
            let current = scrapes.values.allSatisfy { (sample("gwsetup_respondd_queries_answered_total", in: $0) ?? 0) >= 1 && (sample("gwsetup_batadv_gateways", label: "\"north\"", in: $0) ?? 0) >= 1 }
            if current { break }
            try await Task.sleep(for: .seconds(5))
        } while ContinuousClock.now < deadline
        let (a, b) = (scrapes["gwa"] ?? "", scrapes["gwb"] ?? "")
        // The router peers with both gateways in north (gwa on its first instance) and with gwb in south on its second.
        #expect((sample("gwsetup_fastd_peers_connected", label: "\"north\"", in: a) ?? 0) >= 1, "gwa's fastd peers in north")
        #expect((sample("gwsetup_fastd_peers_connected", label: "\"south\"", in: b) ?? 0) >= 1, "gwb's fastd peers in south (instance 2)")
        #expect((sample("gwsetup_batadv_tt_clients", label: "\"north\"", in: a) ?? 0) >= 1, "gwa's batman-adv clients in north")
        #expect((sample("gwsetup_batadv_originators", label: "\"north\"", in: a) ?? 0) >= 2, "gwa's originators in north (router and gwb)")
        #expect((sample("gwsetup_batadv_gateways", label: "\"north\"", in: a) ?? 0) >= 1, "gwa sees gwb's gateway in north")
        let leases = (sample("gwsetup_dhcp_leases_in_use", label: "\"north\"", in: a) ?? 0) + (sample("gwsetup_dhcp_leases_in_use", label: "\"north\"", in: b) ?? 0)
        #expect(leases >= 1, "leases in use in north across the gateways: \(leases)")
        #expect((sample("gwsetup_dhcp_pool_size", label: "\"north\"", in: a) ?? 0) > 100, "gwa's north pool size")
        for (name, scrape) in scrapes {
            #expect((sample("gwsetup_conntrack_entries", in: scrape) ?? 0) > 0 && (sample("gwsetup_conntrack_max", in: scrape) ?? 0) > 0, "\(name)'s conntrack")
            #expect(sample("gwsetup_uplink_up", in: scrape) == 1 && sample("gwsetup_drained", in: scrape) == 0, "\(name)'s uplink state")
            #expect((sample("gwsetup_respondd_queries_answered_total", in: scrape) ?? 0) >= 1, "\(name)'s respondd answers")
        }
        let transitions = [a, b].map { sample("gwsetup_uplink_transitions_total", label: "\"down\"", in: $0) ?? 0 }
        #expect(transitions.reduce(0, +) >= 1, "the uplink drain shows in no gateway's transitions counter")

        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dashboard))) as? [String: Any]
        let panels = (document?["panels"] as? [[String: Any]]) ?? []
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(!expressions.isEmpty, "the rendered dashboard has no queries")
        for expression in expressions {
            let names = expression.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") })
                .map(String.init).filter { $0.hasPrefix("gwsetup_") || $0.hasPrefix("node_") }
            for name in names { #expect(a.contains("\n" + name), "the dashboard's \(expression) uses \(name), which gwa's scrape lacks") }
        }
    }

    /// The agent's resident memory and CPU time on `vm` since it started (the unit's cgroup also counts batctl), a figure.
    static func usage(_ vm: TestVM) async throws {
        let usage = try await vm.run("ps -o rss=,times=,etimes= -C gwsetup-agent").split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        if usage.count == 3, usage[2] > 0 {
            figure("agent on \(vm.name) under TCG (interval 2 s, respondd, metrics): RSS \(Int(usage[0])) kB, "
                   + "\(Int(usage[1])) CPU s in \(Int(usage[2])) s alive = \(Int(usage[1] / usage[2] * 3600)) CPU s per hour")
        }
    }

    /// systemd replaces a killed agent, and its watchdog replaces a hung one (SIGSTOP: no notification arrives).
    static func watchdog(_ vm: TestVM) async throws {
        let pid = try await vm.run("systemctl show -P MainPID gwsetup-agent").trimmingCharacters(in: .whitespacesAndNewlines)
        try await vm.run("kill -KILL \(pid)")
        let killed = try await vm.poll("systemctl show -P MainPID gwsetup-agent; systemctl is-active gwsetup-agent") {
            let lines = $0.split(separator: "\n")
            return lines.count == 2 && lines[0] != "0" && String(lines[0]) != pid && lines[1] == "active"
        }
        #expect(killed.output.hasSuffix("active\n") && !killed.output.hasPrefix(pid + "\n"), "after SIGKILL: \(killed.output)")
        let second = String(killed.output.split(separator: "\n").first ?? "")
        try await vm.run("kill -STOP \(second)")
        let hung = try await vm.poll("systemctl show -P MainPID gwsetup-agent; systemctl is-active gwsetup-agent", timeout: .seconds(180)) {
            let lines = $0.split(separator: "\n")
            return lines.count == 2 && lines[0] != "0" && String(lines[0]) != second && lines[1] == "active"
        }
        figure("SIGSTOP to a new agent on \(vm.name): \(hung.took)")
        #expect(hung.output.hasSuffix("active\n") && !hung.output.hasPrefix(second + "\n"), "the watchdog did not replace the stopped agent: \(hung.output)")
        let journal = try await vm.run("journalctl -u gwsetup-agent -o cat --no-pager | grep -i -c watchdog || true")
        #expect((Int(journal.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 1, "the journal does not name the watchdog")
    }
}
