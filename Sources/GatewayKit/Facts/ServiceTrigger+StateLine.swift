import Foundation

/// Triggers as lines of the host's pending-triggers file, which apply writes and the probe reads back, and as the
/// strings a plan file stores. Both are read as hostile: only the exact lines `stateLine` writes are accepted.
extension ServiceTrigger {
    /// `restart fastd@ffx.service`, `reload ssh.service`, `command systemctl daemon-reload`.
    public var stateLine: String {
        switch self {
        case .restart(let unit): "restart \(unit)"
        case .reload(let unit): "reload \(unit)"
        case .command(let action): "command \(action.rawValue)"
        }
    }

    /// Reads a line `stateLine` wrote; nil for anything else (extra spaces, shell, a unit systemd could not name).
    public init?(stateLine line: some StringProtocol) {
        guard line.utf8.count <= 300, let space = line.firstIndex(of: " ") else { return nil }
        let argument = String(line[line.index(after: space)...])
        switch line[..<space] {
        case "restart" where UnitName.isValid(argument): self = .restart(argument)
        case "reload" where UnitName.isValid(argument): self = .reload(argument)
        case "command":
            guard let action = HostAction(rawValue: argument) else { return nil }
            self = .command(action)
        default: return nil
        }
    }
}

/// A trigger is stored as its state line, so a plan file holds `"restart ssh.service"` and nothing looser.
extension ServiceTrigger: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let line = try container.decode(String.self)
        guard let trigger = ServiceTrigger(stateLine: line) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a trigger gwsetup writes")
        }
        self = trigger
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stateLine)
    }
}
