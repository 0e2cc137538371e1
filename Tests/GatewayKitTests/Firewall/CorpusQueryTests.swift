import Testing
@testable import GatewayKit
@testable import FirewallKit

/// Questions a gateway admin would ask of real community rulesets, answered with the lines that prove them.
@Suite struct CorpusQueryTests {
    let gateway4 = ip("10.99.0.1")
    let client4 = ip("10.99.0.5")
    let stranger4 = ip("198.51.100.200")
    let stranger = ip("93.184.216.34")

    @Test func ffulmV4MeshDNSIsOpenButNotFromTheWAN() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffulm-server-config.rules.v4"))
        let mesh = try evaluator.evaluate(.udp(from: client4, to: gateway4, port: 53, in: "bat0"), path: .input)
        #expect(mesh.verdict.value == .accept)
        #expect(mesh.verdict.provingLines == [22])
        let wan = try evaluator.evaluate(.udp(from: stranger, to: gateway4, port: 53, in: "eth0"), path: .input)
        #expect(wan.verdict.value == .drop)
        guard case .holds(_, let steps) = wan.verdict else { Issue.record("not definite"); return }
        #expect(steps.last?.kind == .policy(.drop))
    }

    @Test func ffulmV4SSHIsOpenFromTheWANAndMuninOnlyFromTheMesh() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffulm-server-config.rules.v4"))
        let ssh = try evaluator.evaluate(.tcp(from: stranger, to: gateway4, port: 22, in: "eth0"), path: .input)
        #expect(ssh.verdict.value == .accept)
        #expect(ssh.verdict.provingLines == [9])
        #expect(try evaluator.evaluate(.tcp(from: stranger, to: gateway4, port: 4949, in: "eth0"), path: .input).verdict.value == .drop)
        #expect(try evaluator.evaluate(.tcp(from: client4, to: gateway4, port: 4949, in: "bat0"), path: .input).verdict.value == .accept)
        let reply = try evaluator.evaluate(.tcp(from: stranger, to: gateway4, sourcePort: 443, port: 51000, in: "eth0", state: .established), path: .input)
        #expect(reply.verdict.provingLines == [6])
    }

    @Test func ffulmV6HandWrittenDomainPortAndNAT64Forwarding() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffulm-server-config.rules.v6"))
        let node = ip("fdef:ffc0:3dd7::5"), gateway = ip("fdef:ffc0:3dd7::1")
        let dns = try evaluator.evaluate(.tcp(from: node, to: gateway, port: 53, in: "bat0"), path: .input)
        #expect(dns.verdict.provingLines == [29])
        let alfred = try evaluator.evaluate(.udp(from: node, to: gateway, port: 16962, in: "bat0"), path: .input)
        #expect(alfred.verdict.provingLines == [33])
        #expect(try evaluator.evaluate(.udp(from: node, to: gateway, port: 16962, in: "eth0"), path: .input).verdict.value == .drop)
        let solicitation = Packet.icmp(from: ip("fe80::1"), to: ip("ff02::1:ff00:1"), type: 135, in: "bat0")
        #expect(try evaluator.evaluate(solicitation, path: .input).verdict.provingLines == [12])
        let toNAT64 = try evaluator.evaluate(.tcp(from: node, to: ip("64:ff9b::5db8:d822"), port: 443, in: "bat0", out: "nat64"), path: .forward)
        #expect(toNAT64.verdict.provingLines == [39])
        let unsolicited = try evaluator.evaluate(.tcp(from: ip("64:ff9b::5db8:d822"), to: node, port: 22, in: "nat64", out: "bat0"), path: .forward)
        #expect(unsolicited.verdict.value == .drop)
    }

    @Test func ffgcMeshServicesAreOpenAndWANDNSIsClosed() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffgc-sargon-gateway.iptables-save"))
        let dns = try evaluator.evaluate(.udp(from: client4, to: gateway4, port: 53, in: "br-ffgc"), path: .input)
        #expect(dns.verdict.value == .accept)
        #expect(dns.verdict.provingLines == [48, 76, 94])
        let wanDNS = try evaluator.evaluate(.udp(from: stranger, to: gateway4, port: 53, in: "eth0"), path: .input)
        #expect(wanDNS.verdict.value == .drop)
        #expect(wanDNS.verdict.provingLines == [48, 77, 123])
        let fastd = try evaluator.evaluate(.udp(from: stranger, to: gateway4, port: 10035, in: "eth1"), path: .input)
        #expect(fastd.verdict.provingLines == [48, 78, 118])
        let spoofed = try evaluator.evaluate(.udp(from: ip("10.1.2.3"), to: gateway4, port: 10035, in: "eth0"), path: .input)
        #expect(spoofed.verdict.provingLines == [48, 77, 115])
    }

    @Test func ffgcWANSSHDependsOnTheRecentRateLimit() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffgc-sargon-gateway.iptables-save"))
        let ssh = try evaluator.evaluate(.tcp(from: stranger, to: gateway4, port: 22, in: "eth0"), path: .input)
        guard case .depends(let rules, let possibilities) = ssh.verdict else { Issue.record("expected depends"); return }
        #expect(rules.map(\.line) == [119])
        #expect(Set(possibilities) == [.accept, .drop])
        // A reply to an established connection never reaches the rate limit.
        let reply = try evaluator.evaluate(.tcp(from: stranger, to: gateway4, sourcePort: 22, port: 50000, in: "eth0", state: .established), path: .input)
        #expect(reply.verdict.provingLines == [46])
    }

    @Test func ffgcMeshTrafficLeavingByTheVPNIsMasqueraded() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffgc-sargon-gateway.iptables-save"))
        let out = try evaluator.evaluate(.tcp(from: client4, to: stranger, port: 443, in: "br-ffgc", out: "tun-anonvpn"), path: .forward)
        #expect(out.verdict.value == .accept)
        #expect(out.isSourceTranslated.value == true)
        // The mesh may also leave by eth0 (fwd-in accepts everything from br-ffgc), but without NAT there.
        let wan = try evaluator.evaluate(.tcp(from: client4, to: stranger, port: 443, in: "br-ffgc", out: "eth0"), path: .forward)
        #expect(wan.verdict.value == .accept)
        #expect(wan.isSourceTranslated.value == false)
    }

    @Test func ffmucFail2banChainReturnsAndThePolicyAccepts() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffmuc-wireguard-gw.rules.v4"))
        let ssh = try evaluator.evaluate(.tcp(from: stranger, to: ip("172.16.0.1"), port: 22, in: "vlan3"), table: "filter", chain: "INPUT")
        #expect(ssh.verdict.value == .accept)
        #expect(ssh.verdict.provingLines == [16, 17])
        let client = ip("172.20.1.1")
        #expect(try evaluator.evaluate(.udp(from: client, to: stranger, port: 53, in: "wg0", out: "vlan3"), path: .forward).isSourceTranslated.value == true)
        #expect(try evaluator.evaluate(.udp(from: ip("10.1.1.1"), to: stranger, port: 53, in: "wg0", out: "vlan3"), path: .forward).isSourceTranslated.value == false)
    }

    @Test func ffhhV6DropsType0RoutingHeadersOnly() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffhh-puppet-ff_gw.rules.v6"))
        var packet = Packet.udp(from: ip("2001:db8::1"), to: ip("2a03:2267::1"), port: 53, in: "br-ffhh")
        #expect(try evaluator.evaluate(packet, path: .input).verdict.value == .accept)
        packet.routingHeaderType = 0
        let type0 = try evaluator.evaluate(packet, path: .input)
        #expect(type0.verdict.value == .drop)
        #expect(type0.verdict.provingLines == [8, 16])  // mangle marks bridge traffic, then filter drops
    }

    @Test func mediumCompanyRawRPFilterMakesEveryInputQueryDepend() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("large-medium-sized-company.iptables-save"))
        let web = Packet.tcp(from: stranger, to: ip("203.0.113.9"), port: 4081, in: "ppp0", out: "eth0")
        let forwarded = try evaluator.evaluate(web, path: .forward)
        #expect(forwarded.verdict.dependsOnLines == [12])
        // Once the reverse-path filter passes, the port forward to the internal host is accepted.
        let passing = forwarded.outcomes.filter { $0.verdict == .accept }
        #expect(passing.count == 1)
        #expect(passing.first?.packet.destination == ip("172.16.2.34"))
        #expect(passing.first?.steps.compactMap { $0.rule?.line }.contains(621) == true)
    }

    @Test func mediumCompanyPortScanListDecidesSSH() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("large-medium-sized-company.iptables-save"))
        let ssh = try evaluator.evaluate(.tcp(from: stranger, to: ip("203.0.113.9"), port: 7122, in: "ppp0"), table: "filter", chain: "INPUT")
        #expect(ssh.verdict.dependsOnLines == [632])
        // Listed or not, a closed port ends in the same tcp-reset, so the answer is definite.
        let telnet = try evaluator.evaluate(.tcp(from: stranger, to: ip("203.0.113.9"), port: 23, in: "ppp0"), table: "filter", chain: "INPUT")
        #expect(telnet.outcomes.count == 2)
        #expect(telnet.verdict.value == .reject(with: "tcp-reset"))
        #expect(telnet.verdict.provingLines == [49, 632, 51, 53])
    }

    @Test func tumDNSDependsOnTheRecentBlocklist() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("large-tum-net-2015-09-03.iptables-save"))
        let dns = try evaluator.evaluate(.udp(from: stranger, to: ip("131.159.0.1"), port: 53, in: "eth1.1024"), table: "filter", chain: "INPUT")
        guard case .depends(let rules, let possibilities) = dns.verdict else { Issue.record("expected depends"); return }
        #expect(rules.map(\.line) == [139])
        #expect(Set(possibilities) == [.accept, .drop])
        let established = try evaluator.evaluate(.udp(from: stranger, to: ip("131.159.0.1"), port: 53, in: "eth1.1024", state: .established), table: "filter", chain: "INPUT")
        #expect(established.verdict.provingLines == [136])
    }
}
