/// Where to log in: only what the site file says; everything else comes from the user's ~/.ssh/config.
public struct SSHTarget: Sendable, Hashable, CustomStringConvertible {
    public var user: String?
    public var host: String
    public var port: Int?

    /// Checks the parts so none can be mistaken for an ssh option or split into two words.
    public init(user: String? = nil, host: String, port: Int? = nil) throws {
        let text = "\(user.map { "\($0)@" } ?? "")\(host)\(port.map { ":\($0)" } ?? "")"
        func invalid(_ why: String) -> TransportError { .invalidRequest("invalid ssh target \"\(text)\": \(why)") }
        guard !host.isEmpty else { throw invalid("no host") }
        guard !host.hasPrefix("-"), !(user ?? "").hasPrefix("-") else { throw invalid("must not start with \"-\"") }
        let forbidden: (Character) -> Bool = { $0.isWhitespace || $0 == "@" || $0 == "/" || $0 == "\0" || $0 == "'" || $0 == "\"" }
        guard !host.contains(where: forbidden) else { throw invalid("the host contains a space, quote, \"@\" or \"/\"") }
        if let user {
            guard !user.isEmpty, !user.contains(where: forbidden), !user.contains(":") else { throw invalid("bad user name") }
        }
        if let port { guard (1...65535).contains(port) else { throw invalid("port \(port) is not in 1…65535") } }
        self.user = user
        self.host = host
        self.port = port
    }

    /// Reads `host`, `user@host`, `user@host:port` or `user@[v6]:port`; a bare IPv6 address has no port.
    public init(parsing text: String) throws {
        var rest = Substring(text)
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw TransportError.invalidRequest("invalid ssh target \"\(text)\": \"[\" without \"]\"")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else {
                    throw TransportError.invalidRequest("invalid ssh target \"\(text)\": expected \":PORT\" after \"]\"")
                }
                port = number
            }
        } else if rest.filter({ $0 == ":" }).count == 1, let colon = rest.firstIndex(of: ":") {
            host = String(rest[..<colon])
            guard let number = Int(rest[rest.index(after: colon)...]) else {
                throw TransportError.invalidRequest("invalid ssh target \"\(text)\": the port must be a number")
            }
            port = number
        }
        try self.init(user: user, host: host, port: port)
    }

    /// `root@gw1:22`, `[2001:db8::1]:22`, `gw1`.
    public var description: String {
        let shownHost = host.contains(":") && port != nil ? "[\(host)]" : host
        return "\(user.map { "\($0)@" } ?? "")\(shownHost)\(port.map { ":\($0)" } ?? "")"
    }

    /// The `-l`/`-p` arguments and the host, in that order; nothing the user's ssh config already decides.
    var sshArguments: [String] {
        var arguments: [String] = []
        if let user { arguments += ["-l", user] }
        if let port { arguments += ["-p", String(port)] }
        return arguments
    }
}
