import FirewallKit

/// Runs one job per gateway with at most `parallel` at a time, so a community's gateways are planned or applied
/// together without one slow or broken host holding up, or (unless `failFast`) stopping, the others.
public struct FleetRunner: Sendable {
    /// What a job reports: its outcome and the text it would print.
    public typealias Job = @Sendable (_ gateway: String) async -> (outcome: GatewayRunResult.Outcome, output: String)

    public var parallel: Int
    public var failFast: Bool

    public init(parallel: Int, failFast: Bool = false) {
        precondition(parallel >= 1, "parallel must be at least 1")
        self.parallel = parallel
        self.failFast = failFast
    }

    /// Runs `job` for every gateway and returns the results in the order of `gateways`; `finished` sees each result
    /// as soon as its gateway is done, so progress can be printed while the rest still run.
    public func run(
        _ gateways: [String],
        finished: @escaping @Sendable (GatewayRunResult) -> Void = { _ in },
        job: @escaping Job
    ) async -> [GatewayRunResult] {
        var results: [GatewayRunResult?] = Array(repeating: nil, count: gateways.count)
        await withTaskGroup(of: (Int, GatewayRunResult).self) { group in
            var next = 0
            var stopping = false
            func startNext() {
                let index = next
                let gateway = gateways[index]
                next += 1
                group.addTask {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let (outcome, output) = await job(gateway)
                    return (index, GatewayRunResult(gateway: gateway, outcome: outcome, output: output, duration: clock.now - start))
                }
            }
            while next < gateways.count && next < parallel { startNext() }
            for await (index, result) in group {
                results[index] = result
                finished(result)
                if failFast && result.failed { stopping = true }
                if !stopping && next < gateways.count { startNext() }
            }
        }
        return zip(gateways, results).map { gateway, result in
            result ?? GatewayRunResult(gateway: gateway, outcome: .skipped, output: "", duration: .zero)
        }
    }

    /// The same for a site's gateways: each job gets its gateway itself, not a name to look up again.
    public func run(
        _ gateways: [Gateway],
        finished: @escaping @Sendable (GatewayRunResult) -> Void = { _ in },
        job: @escaping @Sendable (Gateway) async -> (outcome: GatewayRunResult.Outcome, output: String)
    ) async -> [GatewayRunResult] {
        let byName = Dictionary(gateways.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return await run(gateways.map(\.name), finished: finished) { name in await job(byName[name]!) }
    }

    /// The same for jobs that throw: a gateway whose job throws ends as `failure` words it, and the others carry on,
    /// so one gateway's error never ends the whole run.
    public func run(
        _ gateways: [Gateway],
        finished: @escaping @Sendable (GatewayRunResult) -> Void = { _ in },
        failure: @escaping @Sendable (Gateway, any Error) -> (outcome: GatewayRunResult.Outcome, output: String),
        job: @escaping @Sendable (Gateway) async throws -> (outcome: GatewayRunResult.Outcome, output: String)
    ) async -> [GatewayRunResult] {
        await run(gateways, finished: finished) { gateway in
            do {
                return try await job(gateway)
            } catch {
                return failure(gateway, error)
            }
        }
    }
}
