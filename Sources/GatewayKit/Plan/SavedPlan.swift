import Foundation
import GatewayBase

/// A plan saved by `plan --out`: a commitment to what apply will do, never a script.
///
/// apply re-derives the changes from the site and the gateway's fresh facts and runs only those, and only when
/// they are the saved ones; nothing read from the file reaches the gateway.
public struct SavedPlan: Sendable {
    /// The file, as the user named it, for messages.
    public let file: String
    public let plan: Plan

    public init(file: String, plan: Plan) {
        self.file = file
        self.plan = plan
    }

    /// Reads `file` (at most ``PlanCoding/maximumBytes``), picks `desired`'s gateway and checks every change is
    /// one that site could ask for, all before any connection.
    public static func load(_ file: String, for desired: DesiredState) throws -> SavedPlan {
        let data = try read(file)
        let plans = try PlanCoding.decode(data, source: file)
        var seen: Set<String> = []
        if let twice = plans.map(\.gateway).first(where: { !seen.insert($0).inserted }) {
            throw PlanFileError("\(file): the plan file has two plans for gateway \(Echo.quoted(twice)); save it again with plan --out")
        }
        guard let plan = plans.first(where: { $0.gateway == desired.gateway }) else {
            throw PlanFileError("\(file): the plan file has no plan for gateway \(desired.gateway)")
        }
        let saved = SavedPlan(file: file, plan: plan)
        if let stranger = SavedPlanCheck.firstChangeOutside(desired, in: plan) {
            throw saved.differs("\(stranger) is not what the site asks for")
        }
        return saved
    }

    /// The fresh plan when it is the one the user saw; otherwise the one line naming the first difference.
    public func confirm(_ current: Plan) throws -> Plan {
        if plan.desiredDigest != current.desiredDigest {
            throw ApplyError.stalePlan(planFile: file, gateway: plan.gateway, reason: "has a different site file (or templates)")
        }
        if plan.factsDigest != current.factsDigest {
            throw ApplyError.stalePlan(planFile: file, gateway: plan.gateway, reason: "has changed")
        }
        if let difference = SavedPlanCheck.firstDifference(saved: plan, current: current) { throw differs(difference) }
        return current
    }

    func differs(_ difference: String) -> ApplyError {
        .savedPlanDiffers(planFile: file, gateway: plan.gateway, difference: difference)
    }

    /// Up to one byte more than the cap, so a huge file (or /dev/zero) is refused without reading it all.
    static func read(_ file: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw PlanFileError("\(file): cannot read the plan file") }
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: PlanCoding.maximumBytes + 1) ?? Data()
        } catch {
            throw PlanFileError("\(file): cannot read the plan file")
        }
    }
}
