/// What an apply knows about ownership: which names to believe, what the gateway's manifest said before this run,
/// and the manifest this run leaves behind.
public struct ApplyOwnership: Sendable, Equatable {
    public var policy: OwnershipPolicy
    public var previous: OwnershipManifest
    public var next: OwnershipManifest

    public init(policy: OwnershipPolicy, previous: OwnershipManifest, next: OwnershipManifest) {
        self.policy = policy
        self.previous = previous
        self.next = next
    }

    /// The ownership of applying `plan` to a gateway whose facts were `facts`.
    public init(plan: Plan, desired: DesiredState, facts: HostFacts, policy: OwnershipPolicy) {
        self.init(policy: policy, previous: facts.manifest,
                  next: OwnershipManifest.after(plan, desired: desired, previous: facts.manifest, policy: policy))
    }

    /// gw_file keeps a copy of a file it replaces only while no manifest claims it: the original, never gwsetup's own.
    func keepsOriginal(of change: PlannedChange) -> Bool {
        change.action == .change && previous.file(change.resource) == nil
    }
}
