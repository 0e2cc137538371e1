import GatewayBase

/// Compares a saved plan with what the site and the gateway need now, change by change: action, kind, resource,
/// content digest and triggers. Reasons and diffs are display only and not compared.
enum SavedPlanCheck {
    /// The identity of a change: what apply would do, not how the plan words it.
    struct Commitment: Hashable {
        let action: PlannedChange.Action
        let kind: PlannedChange.Kind
        let resource: String
        let digest: String?
        let triggers: [ServiceTrigger]

        init(_ change: PlannedChange) {
            action = change.action
            kind = change.kind
            resource = change.resource
            digest = change.digest
            triggers = change.triggers
        }
    }

    /// `+ package '-oDpkg…'`: a change as the difference line names it, its resource escaped and cut.
    static func name(_ change: PlannedChange) -> String {
        "\(PlanPrinter.symbol(change.action)) \(change.kind.rawValue) \(Echo.quoted(change.resource))"
    }

    /// The first saved change that no fresh plan of this site could hold; checked before connecting.
    static func firstChangeOutside(_ desired: DesiredState, in plan: Plan) -> String? {
        let known = desired.knownTriggers
        for change in plan.changes {
            if change.action == .remove {
                if !Planner.mayRemove(change, keeping: desired) { return name(change) }
                continue
            }
            let fits: Bool
            switch change.kind {
            case .package: fits = change.action == .add && desired.packages.contains(change.resource)
            case .user: fits = change.action == .add && desired.users.contains { $0.name == change.resource }
            case .fastdKey:
                // Only a secret the site names may replace one the gateway holds.
                fits = desired.fastdKeys.contains { $0.secretPath == change.resource && (change.action == .add || (change.action == .change && $0.secretFile != nil)) }
            case .file:
                let file = desired.file(change.resource)
                fits = file != nil && (change.digest == nil || change.digest == SHA256Digest.hex(file!.content))
                    && change.triggers.allSatisfy { file!.triggers.contains($0) }
            case .sysctl: fits = desired.sysctl.contains { $0.key == change.resource }
            case .module: fits = desired.modules.contains(change.resource)
            case .unit: fits = desired.units.contains { $0.name == change.resource }
            case .link, .batman: fits = LinkRepair.resolve(change, desired) != nil
            case .binary: fits = desired.binaries.contains { $0.path == change.resource && $0.sha256 == change.digest && $0.triggers == change.triggers }
            case .tincKey:
                fits = change.action == .add && change.resource == TincKey.privatePath
                    && change.triggers.allSatisfy { trigger in desired.tincKey?.units.contains { trigger == .restart($0) } == true }
            case .wireguardKey:
                let key = desired.wireguardKeys.first { $0.privatePath == change.resource }
                fits = change.action == .add && key != nil && change.triggers.allSatisfy { trigger in key?.units.contains { trigger == .restart($0) } == true }
            case .service: fits = change.action == .run && change.triggers.count == 1 && known.contains(change.triggers[0])
                && change.resource == change.triggers[0].description
            }
            if !fits { return name(change) }
        }
        return nil
    }

    /// The first difference between the saved and the fresh change list, as one phrase; nil when they are the same.
    static func firstDifference(saved: Plan, current: Plan) -> String? {
        let fresh = current.changes.map(Commitment.init)
        let kept = saved.changes.map(Commitment.init)
        if fresh == kept { return nil }
        let freshSet = Set(fresh)
        let keptSet = Set(kept)
        for (index, commitment) in kept.enumerated() where !freshSet.contains(commitment) {
            let change = saved.changes[index]
            if let same = current.changes.first(where: { $0.kind == change.kind && $0.resource == change.resource }) {
                return "\(name(change)) is not the same change now (\(PlanPrinter.symbol(same.action)), its content or what it restarts differs)"
            }
            return "\(name(change)) is not in the current plan"
        }
        for (index, commitment) in fresh.enumerated() where !keptSet.contains(commitment) {
            return "\(name(current.changes[index])) is missing from the saved plan"
        }
        return kept.count == fresh.count ? "the changes are in a different order" : "a change is listed twice"
    }
}
