/// The ordered changes that take one gateway from its facts to its site, savable and checkable for staleness.
public struct Plan: Sendable, Equatable, Codable {
    public var gateway: String
    /// Digest of the facts the plan was made from; a saved plan is refused when the host no longer matches.
    public var factsDigest: String
    /// Digest of the desired state, so a saved plan is refused when the site file changed since.
    public var desiredDigest: String
    public var changes: [PlannedChange]

    public var isEmpty: Bool { changes.isEmpty }

    /// Counts for the summary line, the way Terraform prints them.
    public var summary: (add: Int, change: Int, remove: Int, run: Int) {
        changes.reduce(into: (0, 0, 0, 0)) { counts, change in
            switch change.action {
            case .add: counts.0 += 1
            case .change: counts.1 += 1
            case .remove: counts.2 += 1
            case .run: counts.3 += 1
            }
        }
    }

    /// The counts as one phrase, shared by the plan's last line and the fleet summary table.
    public var summaryText: String {
        let counts = summary
        return "\(counts.add) to add, \(counts.change) to change, \(counts.remove) to destroy, \(counts.run) to restart or reload"
    }
}

extension Plan {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case gateway, factsDigest, desiredDigest, changes
    }

    /// Strict: a plan file is read as hostile (see ``PlanCoding``).
    public init(from decoder: any Decoder) throws {
        try decoder.allowOnly(Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gateway = try decoder.checkedName(try container.decode(String.self, forKey: .gateway), key: CodingKeys.gateway, limit: 253)
        factsDigest = try decoder.checkedDigest(try container.decode(String.self, forKey: .factsDigest), key: CodingKeys.factsDigest)
        desiredDigest = try decoder.checkedDigest(try container.decode(String.self, forKey: .desiredDigest), key: CodingKeys.desiredDigest)
        changes = try container.decode([PlannedChange].self, forKey: .changes)
    }
}
