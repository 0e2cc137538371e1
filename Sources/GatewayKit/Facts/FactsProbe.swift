import Foundation
import Logging

/// Gathers a gateway's facts with one read-only script: one round trip, however many resources are managed.
public struct FactsProbe: Sendable {
    public var request: ProbeRequest
    public var timeout: Duration

    public init(request: ProbeRequest, timeout: Duration = .seconds(120)) {
        self.request = request
        self.timeout = timeout
    }

    public func gather(over transport: any Transport, logger: Logger) async throws -> HostFacts {
        let started = ContinuousClock.now
        let result = try await transport.run(ProbeScript.make(for: request), stdin: Data(), timeout: timeout)
        guard result.succeeded else {
            throw ProbeError(gateway: transport.describe,
                             reason: "probe exited with status \(result.status)\(result.stderrText.lastMeaningfulLine.map { ": \($0)" } ?? "")")
        }
        let facts = try ProbeOutputParser.parse(result.stdoutText, request: request, gateway: transport.describe)
        for warning in facts.warnings {
            logger.warning("\(warning)", metadata: [LogKey.step: "facts", LogKey.gateway: "\(transport.describe)", LogKey.outcome: "warning"])
        }
        logger.info("gathered facts", metadata: [
            LogKey.step: "facts", LogKey.gateway: "\(transport.describe)", LogKey.outcome: "ok",
            LogKey.durationMilliseconds: "\((ContinuousClock.now - started).milliseconds)",
        ])
        return facts
    }
}
