import GatewayKit

/// What a run cost in connections and round trips, for the summary and for BENCHMARKS.md.
struct TransportCounts: Sendable, Equatable, CustomStringConvertible {
    var connections: Int
    var roundTrips: Int

    /// Counts of an SSH run; nil for the local host, which has no connections.
    init?(_ statistics: SSHTransport.Statistics?) {
        guard let statistics else { return nil }
        connections = statistics.connectionsOpened
        roundTrips = statistics.roundTrips
    }

    var description: String {
        "ssh: \(connections) connection\(connections == 1 ? "" : "s"), \(roundTrips) round trip\(roundTrips == 1 ? "" : "s")"
    }
}
