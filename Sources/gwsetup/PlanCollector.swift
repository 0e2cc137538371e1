import GatewayKit
import Synchronization

/// Gathers the plans of a fleet run as gateways finish, so `--out` and `--json` list them in site order.
final class PlanCollector: Sendable {
    private let plans = Mutex<[String: Plan]>([:])

    init() {}

    func add(_ plan: Plan) {
        plans.withLock { $0[plan.gateway] = plan }
    }

    /// The plans gathered so far, in the order of `gateways`; gateways without a plan are left out.
    func inOrder(of gateways: [String]) -> [Plan] {
        plans.withLock { plans in gateways.compactMap { plans[$0] } }
    }
}
