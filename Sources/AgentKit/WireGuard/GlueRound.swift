/// One link's look at the world: the peers, the forwarding entries and the routes, then the plan's commands.
/// Nothing is changed unless all four reads succeeded, since a node missing from a failed read is no reason to prune it.
public struct GlueRound: Sendable {
    /// What the round did, for the service's events.
    public struct Report: Sendable, Equatable {
        /// Nodes whose every command succeeded.
        public var added: [GluePlan.NodeChange] = []
        public var pruned: [GluePlan.NodeChange] = []
        /// Commands that failed, reads included, with their status and stderr.
        public var failures: [Failure] = []
        /// Lines of the four readings that did not parse.
        public var ignoredLines = 0
    }

    public struct Failure: Sendable, Equatable {
        public var arguments: [String]
        public var capture: CommandCapture
    }

    public var link: WireGuardGlueConfig.Link
    public var commands: any CapturingCommandRunner

    public init(link: WireGuardGlueConfig.Link, commands: any CapturingCommandRunner) {
        self.link = link
        self.commands = commands
    }

    public func run(now: Int) -> Report {
        var report = Report()
        func read(_ arguments: [String]) -> String? {
            let capture = commands.capture(arguments)
            if capture.succeeded { return capture.output }
            report.failures.append(Failure(arguments: arguments, capture: capture))
            return nil
        }
        let peerCommands = WireGuardPeers.commands(interface: link.wireguard)
        guard let handshakes = read(peerCommands[0]), let allowedIPs = read(peerCommands[1]),
              let floodText = read(FloodEntries.command(vxlan: link.vxlan)),
              let routeText = read(NodeRoutes.command(wireguard: link.wireguard)) else { return report }
        let peers = WireGuardPeers(handshakes: handshakes, allowedIPs: allowedIPs)
        guard let flood = FloodEntries(json: floodText) else {
            report.failures.append(Failure(arguments: FloodEntries.command(vxlan: link.vxlan), capture: CommandCapture(status: -1, errorOutput: "printed no JSON array")))
            return report
        }
        guard let routes = NodeRoutes(json: routeText, wireguard: link.wireguard) else {
            report.failures.append(Failure(arguments: NodeRoutes.command(wireguard: link.wireguard), capture: CommandCapture(status: -1, errorOutput: "printed no JSON array")))
            return report
        }
        report.ignoredLines = peers.ignoredLines + flood.ignoredLines + routes.ignoredLines
        let plan = GluePlan(link: link, peers: peers, flood: flood, routes: routes, now: now)
        func apply(_ node: GluePlan.NodeChange) -> Bool {
            var succeeded = true
            for change in node.changes {
                let arguments = change.arguments(link: link)
                let capture = commands.capture(arguments)
                if !capture.succeeded {
                    report.failures.append(Failure(arguments: arguments, capture: capture))
                    succeeded = false
                }
            }
            return succeeded
        }
        // Removals first: an entry through the wrong interface goes before the right one is appended.
        for node in plan.removals where apply(node) { report.pruned.append(node) }
        for node in plan.additions where apply(node) { report.added.append(node) }
        return report
    }
}
