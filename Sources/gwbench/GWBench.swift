import Foundation
import GatewayKit
import GatewayBase
import FirewallKit

/// Measures parser, printer and evaluator speed by hand: `swift run -c release gwbench [FILE…]`.
/// Figures are CPU time of this thread (stable on a busy machine) next to wall time.
/// `gwbench --print FILE` prints the normalised form of a file instead;
/// `gwbench --verify SITE RULES.v4 [RULES.v6]` splits verify's time into its phases.
@main
struct GWBench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--print" {
            for path in arguments.dropFirst() {
                let ruleset = try RulesetParser.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
                print(RulesetPrinter.print(ruleset), terminator: "")
            }
            return
        }
        if arguments.first == "--verify", arguments.count >= 3 {
            try verifyPhases(site: arguments[1], rules: Array(arguments.dropFirst(2)))
            return
        }
        let clock = CPUClock()
        let whole = clock.now
        for path in arguments {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var ruleset: Ruleset?
            let parse = try clock.measure { ruleset = try RulesetParser.parse(text, file: path) }
            let count = ruleset!.allRules.count
            var printed = ""
            let print = clock.measure { printed = RulesetPrinter.print(ruleset!) }
            report("parse \((path as NSString).lastPathComponent): \(count) rules, \(text.utf8.count / 1024) KiB", parse)
            report("print it back (\(printed.utf8.count / 1024) KiB)", print)
            try queries(ruleset!, count: 1000, clock: clock)
        }
        for chains in [100, 1] {
            let generated = GeneratedRuleset.text(rules: 10_000, chains: chains)
            var ruleset: Ruleset?
            let parse = try clock.measure { ruleset = try RulesetParser.parse(generated, file: "generated") }
            let shape = chains == 1 ? "one flat chain" : "\(chains) chains"
            report("parse generated (\(shape)): \(ruleset!.allRules.count) rules, \(generated.utf8.count / 1024) KiB", parse)
            try queries(ruleset!, count: 1000, clock: clock)
        }
        report("whole run", clock.now - whole)
    }

    /// Sends `count` pseudo-random forwarded and input packets through the ruleset.
    static func queries(_ ruleset: Ruleset, count: Int, clock: CPUClock) throws {
        let evaluator = RulesetEvaluator(ruleset)
        var random = GeneratedRuleset.Random(seed: 7)
        var definite = 0
        var branches = 0
        let elapsed = try clock.measure {
            for index in 0..<count {
                let source = IPAddress.v4(IPv4Address(value: 0x0A00_0000 | UInt32(random.next() % 0xFFFF)))
                let destination = IPAddress.v4(IPv4Address(value: 0xC0A8_0000 | UInt32(random.next() % 0xFFFF)))
                let port = UInt16(random.next() % 2000)
                let packet = index % 2 == 0
                    ? Packet.tcp(from: source, to: destination, port: port, in: "eth1.\(random.next() % 4)", out: "eth0")
                    : Packet.udp(from: source, to: destination, port: port, in: "eth1.\(random.next() % 4)", out: "eth0")
                let result = try evaluator.evaluate(packet, table: "filter", chain: index % 4 < 2 ? "FORWARD" : "INPUT")
                branches += result.outcomes.count
                if result.verdict.value != nil { definite += 1 }
            }
        }
        report("  \(count) queries (\(definite) definite, \(branches) branches)", elapsed)
    }

    /// What `gwsetup verify --rules` spends where: loading the site and rendering, parsing, intents, drift, printing.
    static func verifyPhases(site: String, rules: [String]) throws {
        let clock = CPUClock()
        let whole = clock.now
        var pipeline: SitePipeline?
        var gateway: Gateway?
        var rendered: [CheckedRuleset] = []
        report("load site, render the gateway's rules", try clock.measure {
            pipeline = try SitePipeline(sitePath: site)
            gateway = try pipeline!.singleGateway(named: nil)
            rendered = try FirewallVerifier.renderedRulesets(try pipeline!.desiredState(for: gateway!))
        })
        var checked: [CheckedRuleset] = []
        report("parse \(rules.count) dump(s)", try clock.measure {
            checked = try zip(rules, [IPFamily.ipv4, .ipv6]).map { try CheckedRuleset.load(path: $0, family: $1) }
        })
        var intents: [FirewallIntent] = []
        report("derive intents", clock.measure { intents = FirewallIntents.derive(site: pipeline!.site, gateway: gateway!) })
        var results = 0
        report("check intents (\(checked.map { "\($0.ruleset.allRules.count)" }.joined(separator: " + ")) rules)", clock.measure {
            for rules in checked {
                results += RulesetEvaluator(rules.ruleset).check(intents.filter { $0.packet.family == rules.family }).count
            }
        })
        print("  \(results) intents checked")
        var drift = 0
        report("drift", clock.measure {
            for rules in checked {
                if let desired = rendered.first(where: { $0.family == rules.family }) {
                    drift += RulesetDrift.compare(checked: rules, rendered: desired).findings.count
                }
            }
        })
        print("  \(drift) drift findings")
        var report: VerifyReport?
        var printed = ""
        let whole2 = clock.measure {
            report = FirewallVerifier.verify(gateway: gateway!.name, intents: intents, checked: checked, rendered: rendered)
            printed = VerifyReportPrinter(colors: false).render(report!)
        }
        Self.report("all of it again as verify does, and print (\(printed.utf8.count / 1024) KiB)", whole2)
        Self.report("whole run", clock.now - whole)
    }

    static func report(_ label: String, _ elapsed: CPUClock.Elapsed) {
        print(label.padding(toLength: 62, withPad: " ", startingAt: 0)
              + String(format: "%9.2f ms CPU %9.2f ms wall", elapsed.cpu * 1000, elapsed.wall * 1000))
    }
}

/// Thread CPU time and wall time together, so figures taken while other builds run stay comparable.
struct CPUClock {
    struct Instant {
        var cpu: Double
        var wall: Double
    }

    struct Elapsed {
        var cpu: Double
        var wall: Double
    }

    var now: Instant {
        var cpu = timespec(), wall = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
        clock_gettime(CLOCK_MONOTONIC, &wall)
        return Instant(cpu: Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9, wall: Double(wall.tv_sec) + Double(wall.tv_nsec) / 1e9)
    }

    func measure(_ work: () throws -> Void) rethrows -> Elapsed {
        let start = now
        try work()
        return now - start
    }
}

func - (end: CPUClock.Instant, start: CPUClock.Instant) -> CPUClock.Elapsed {
    CPUClock.Elapsed(cpu: end.cpu - start.cpu, wall: end.wall - start.wall)
}

/// A large synthetic filter table shaped like real gateways: per-segment user chains of address, port and state rules.
enum GeneratedRuleset {
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
    }

    /// `chains` 1 puts every rule in one chain, the evaluator's worst case (a non-matching packet visits all).
    static func text(rules total: Int, chains: Int) -> String {
        var random = Random(seed: 42)
        let perChain = max(1, (total - 2 * chains) / chains)
        var out = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        for chain in 0..<chains { out += ":seg\(chain) - [0:0]\n" }
        for chain in 0..<chains {
            let source = chains == 1 ? "10.0.0.0/8" : "10.\(chain).0.0/16"
            out += "-A INPUT -i eth1.\(chain % 4) -s \(source) -j seg\(chain)\n"
            out += "-A FORWARD -s \(source) -o eth0 -j seg\(chain)\n"
        }
        for chain in 0..<chains {
            for rule in 0..<perChain {
                let host = "192.168.\(random.next() % 256).\(random.next() % 256)"
                switch rule % 6 {
                case 0: out += "-A seg\(chain) -d \(host)/32 -p tcp -m state --state NEW -m tcp --dport \(random.next() % 2000) --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT\n"
                case 1: out += "-A seg\(chain) -d \(host)/32 -p udp -m udp --dport \(random.next() % 1000):\(1000 + random.next() % 1000) -j ACCEPT\n"
                case 2: out += "-A seg\(chain) -s 10.\(chain).\(random.next() % 256).0/24 -p tcp -m multiport --dports 22,80,443,\(random.next() % 2000) -m comment --comment \"seg \(chain) web\" -j ACCEPT\n"
                case 3: out += "-A seg\(chain) -m conntrack --ctstate INVALID -j DROP\n"
                case 4: out += "-A seg\(chain) -d \(host)/32 -m limit --limit 10/min -j LOG --log-prefix \"seg\(chain): \"\n"
                default: out += "-A seg\(chain) ! -d 192.168.0.0/16 -p icmp -m icmp --icmp-type 8 -j ACCEPT\n"
                }
            }
        }
        return out + "COMMIT\n"
    }
}
