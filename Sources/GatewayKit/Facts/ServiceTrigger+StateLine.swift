/// Triggers as lines of the host's pending-triggers file, which apply writes and the probe reads back.
extension ServiceTrigger {
    /// `restart fastd@ffx.service`, `reload ssh.service`, `command systemctl daemon-reload`.
    public var stateLine: String {
        switch self {
        case .restart(let unit): "restart \(unit)"
        case .reload(let unit): "reload \(unit)"
        case .command(let command): "command \(command)"
        }
    }

    /// Reads a line `stateLine` wrote; nil for anything else.
    public init?(stateLine line: String) {
        guard let space = line.firstIndex(of: " ") else { return nil }
        let argument = String(line[line.index(after: space)...]).trimmingCharacters(in: .whitespaces)
        guard !argument.isEmpty else { return nil }
        switch line[..<space] {
        case "restart": self = .restart(argument)
        case "reload": self = .reload(argument)
        case "command": self = .command(argument)
        default: return nil
        }
    }
}
