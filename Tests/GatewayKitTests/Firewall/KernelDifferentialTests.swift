import Foundation
import Testing
@testable import GatewayKit
@testable import FirewallKit

/// Two namespaces joined by a veth pair: a client that sends real packets and a gateway that filters them.
private final class TestLink {
    let client = "gwtest-c\(UInt32.random(in: 10000...99999))"
    let gateway = "gwtest-g\(UInt32.random(in: 10000...99999))"

    init() throws {
        for command in [
            ["ip", "netns", "add", client], ["ip", "netns", "add", gateway],
            ["ip", "link", "add", "va", "netns", client, "type", "veth", "peer", "name", "vg", "netns", gateway],
            ["ip", "-n", client, "addr", "add", "10.77.0.2/24", "dev", "va"],
            ["ip", "-n", gateway, "addr", "add", "10.77.0.1/24", "dev", "vg"],
            ["ip", "-n", client, "link", "set", "va", "up"], ["ip", "-n", gateway, "link", "set", "vg", "up"],
            ["ip", "-n", client, "link", "set", "lo", "up"], ["ip", "-n", gateway, "link", "set", "lo", "up"],
        ] {
            let result = try shell(command)
            guard result.status == 0 else { throw LinkError(description: "\(command.joined(separator: " ")): \(result.error)") }
        }
    }

    deinit {
        _ = try? shell(["ip", "netns", "delete", client])
        _ = try? shell(["ip", "netns", "delete", gateway])
    }

    func atGateway(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
        try shell(["ip", "netns", "exec", gateway] + arguments, input: input)
    }

    /// Sends from the client; a missing tool (exit 127) fails the test instead of silently sending nothing.
    func fromClient(_ script: String) throws {
        let result = try shell(["ip", "netns", "exec", client, "bash", "-c", script])
        if result.status == 127 { throw LinkError(description: "\(script): \(result.error)") }
    }
}

private struct LinkError: Error, CustomStringConvertible {
    var description: String
}

private func shell(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let error = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
}

/// The kernel is the reference: packets sent through a real ruleset must hit exactly the rules the evaluator cites.
@Suite(.serialized) struct KernelDifferentialTests {
    static let rules = """
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :mesh - [0:0]
        :services - [0:0]
        :ssh - [0:0]
        -A INPUT -i lo -j ACCEPT
        -A INPUT -m conntrack --ctstate INVALID -j DROP
        -A INPUT -i v+ -j mesh
        -A INPUT -j LOG --log-prefix "input drop: "
        -A mesh -s 10.66.0.0/16 -j DROP
        -A mesh -p icmp -m icmp --icmp-type 8 -j ACCEPT
        -A mesh -p udp -m multiport --dports 53,123 -g services
        -A mesh -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j ssh
        -A mesh -p tcp -m tcp --dport 22 -j ACCEPT
        -A services -p udp -m udp --dport 123 -j RETURN
        -A services -m conntrack --ctstate NEW -j ACCEPT
        -A ssh -m conntrack ! --ctstate NEW -j DROP
        -A ssh -s 10.77.0.0/24 -j ACCEPT
        COMMIT

        """

    /// (what the client sends, the packet the evaluator is asked about)
    static let probes: [(String, Packet)] = [
        ("echo x > /dev/udp/10.77.0.1/53", .udp(from: ip("10.77.0.2"), to: ip("10.77.0.1"), port: 53, in: "vg")),
        ("echo x > /dev/udp/10.77.0.1/123", .udp(from: ip("10.77.0.2"), to: ip("10.77.0.1"), port: 123, in: "vg")),
        ("echo x > /dev/udp/10.77.0.1/5000", .udp(from: ip("10.77.0.2"), to: ip("10.77.0.1"), port: 5000, in: "vg")),
        ("timeout 1 bash -c 'echo > /dev/tcp/10.77.0.1/22'", .tcp(from: ip("10.77.0.2"), to: ip("10.77.0.1"), port: 22, in: "vg")),
        ("ping -c 1 -W 1 10.77.0.1", .icmp(from: ip("10.77.0.2"), to: ip("10.77.0.1"), type: 8, in: "vg")),
    ]

    @Test func rulesTheKernelCountsAreTheRulesTheEvaluatorCites() throws {
        let ruleset = try RulesetParser.parse(Self.rules, file: "differential")
        let evaluator = RulesetEvaluator(ruleset)
        let link = try TestLink()
        for (send, packet) in Self.probes {
            let loaded = try link.atGateway(["iptables-restore"], input: Self.rules)  // fresh counters for each probe
            #expect(loaded.status == 0, "iptables-restore: \(loaded.error)")
            try link.fromClient(send)
            let saved = try link.atGateway(["iptables-save", "-c", "-t", "filter"])
            let live = try RulesetParser.parse(saved.output, file: "iptables-save -c").table("filter")!

            guard case .holds(let verdict, let steps) = try evaluator.evaluate(packet, path: .input).verdict else {
                Issue.record("\(send): evaluator is not definite")
                continue
            }
            // Rules the evaluator says fired, as (chain, position) so they can be found in the kernel's dump.
            var cited: Set<String> = []
            for step in steps {
                guard let rule = step.rule else { continue }
                let position = ruleset.table("filter")!.chain(rule.chain)!.rules.firstIndex { $0.line == rule.line }!
                cited.insert("\(rule.chain)#\(position)")
            }
            var counted: Set<String> = []
            for chain in live.chains {
                for (position, rule) in chain.rules.enumerated() where (rule.counters?.packets ?? 0) > 0 {
                    counted.insert("\(chain.name)#\(position)")
                }
            }
            #expect(counted == cited, "\(send): kernel counted \(counted.sorted()), evaluator cited \(cited.sorted())")
            let policyApplied = steps.last?.kind == .policy(.drop)
            #expect(((live.chain("INPUT")?.counters?.packets ?? 0) > 0) == policyApplied, "\(send): INPUT policy")
            #expect(policyApplied == (verdict == .drop) || verdict == .accept, "\(send)")
        }
    }
}
