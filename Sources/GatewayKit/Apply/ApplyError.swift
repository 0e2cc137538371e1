/// Why an apply did not start or could not finish, each as one line naming the gateway.
public enum ApplyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another apply holds the gateway's lock; `holder` says who (pid, user, since when, from where).
    case locked(gateway: String, holder: String)
    /// The saved plan was made against a host that has changed since.
    case stalePlan(planFile: String, gateway: String, reason: String)
    /// The plan names resources the site does not have (a plan from another site).
    case planMismatch(String)
    /// A saved plan whose changes are not exactly those the site and the gateway need now (an edited file).
    case savedPlanDiffers(planFile: String, gateway: String, difference: String)
    /// The script's output could not be read; the gateway may be in any state between.
    case unreadableOutput(gateway: String, reason: String)
    /// Confirmation was needed and there is no terminal to ask on.
    case confirmationNeeded
    /// The user answered anything but "yes"; nothing was changed.
    case cancelled

    public var description: String {
        switch self {
        case let .locked(gateway, holder):
            return "\(gateway): another apply is running (\(holder)); wait for it to finish"
        case let .stalePlan(planFile, gateway, reason):
            return "\(planFile): the plan is stale: \(gateway) \(reason) since it was made; run gwsetup plan again"
        case let .savedPlanDiffers(planFile, gateway, difference):
            return "\(planFile): the saved plan for \(gateway) differs from what the site and \(gateway) need now: \(difference); run plan again"
        case let .planMismatch(reason):
            return "the plan does not fit the site: \(reason)"
        case let .unreadableOutput(gateway, reason):
            return "\(gateway): cannot read what apply did: \(reason); run gwsetup plan to see the gateway's state"
        case .confirmationNeeded:
            return "apply needs confirmation and stdin is not a terminal; pass --yes to apply without asking"
        case .cancelled:
            return "apply cancelled; nothing was changed"
        }
    }
}
