import GluonKit
import Logging
import GatewayBase

/// `gluon check --live`: the keys the gateways actually hold, read through the facts probe, against the firmware's.
public enum GluonLiveKeys {
    /// What one gateway's fastd instances hold, and how it was reached (`ssh root@gw1`), for the report.
    public struct Held: Sendable, Equatable {
        public var gateway: String
        public var reachedOver: String
        /// Domain code → public key; an instance without a secret is absent.
        public var keys: [String: String]

        public init(gateway: String, reachedOver: String, keys: [String: String]) {
            self.gateway = gateway
            self.reachedOver = reachedOver
            self.keys = keys
        }
    }

    /// Reads each gateway's keys with the same read-only probe plan uses, asking it for fastd keys only.
    public static func read(_ gateways: [Gateway], sshOptions: SSHTransport.Options, logger: Logger) async throws -> [Held] {
        var held: [Held] = []
        for gateway in gateways {
            let keys = gateway.domains.map { FastdKey(instance: $0.code, secretPath: FastdKey.secretPath(instance: $0.code)) }
            let request = ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: keys)
            let spec = try TransportSpec(gateway.connection)
            let facts = try await spec.withTransport(sshOptions: sshOptions, logger: logger) { transport in
                try await FactsProbe(request: request).gather(over: transport, logger: logger)
            }
            held.append(Held(gateway: gateway.name, reachedOver: spec == .local ? "this host (local)" : "ssh \(spec)", keys: facts.fastdPublicKeys))
        }
        return held
    }

    /// Every fastd peer of the firmware whose key is not the one its gateway holds, as `live key` lines with both values.
    public static func disagreements(site loaded: LoadedSite, siteFile: String, gluon: GluonSite, held: [Held]) -> [GluonDisagreement] {
        // Compare the firmware with the live keys alone: the site's pins are `gluon check`'s other lines.
        var site = loaded.site
        for index in site.gateways.indices {
            for domain in site.gateways[index].domains.indices { site.gateways[index].domains[domain].fastdPublicKey = nil }
        }
        let missing = String(repeating: "0", count: 64)
        var entries: [GluonKeys.Entry] = []
        for gateway in held {
            for domain in site.gateway(gateway.gateway)?.domains ?? [] {
                entries.append(GluonKeys.Entry(gateway: gateway.gateway, domain: domain.code, key: gateway.keys[domain.code] ?? missing,
                                               location: SourceLocation(file: gateway.reachedOver, line: 1, column: 1)))
            }
        }
        let live = LoadedSite(site: site, warnings: [], locations: loaded.locations)
        let over = Dictionary(held.map { ($0.gateway, $0.reachedOver) }) { first, _ in first }
        return GluonSiteChecker.disagreements(site: live, siteFile: siteFile, gluon: gluon, keys: GluonKeys(entries: entries))
            .filter { $0.field == "key" && $0.gateway.map { over[$0] != nil } == true }
            .map { disagreement in
                var line = disagreement
                line.field = "live key"
                if line.site == missing { line.site = "(none: the gateway has no fastd secret for this domain)" }
                line.siteLocation = disagreement.gateway.flatMap { over[$0] }
                return line
            }
    }
}
