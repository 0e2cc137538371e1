import GatewayBase

/// What one gateway would really run for the firmware to meet, read back from its rendered configs, so `gluon check`
/// sees a template override (`site.templates`) that changes a port, a method or the MTU, not just the site file.
public struct RenderedMeshFacts: Sendable, Equatable {
    /// A value read from a rendered file, with `path:line (rendered)` for the report.
    public struct Value<T: Sendable & Equatable>: Sendable, Equatable {
        public var value: T
        public var location: String
    }

    /// Per domain code: what fastd is told.
    public struct Fastd: Sendable, Equatable {
        public var ports: [Value<Int>] = []
        public var methods: Value<[String]>?
        public var mtu: Value<Int>?
    }

    public var fastd: [String: Fastd] = [:]
    /// The addresses unbound answers on (not loopback), each with its `interface:` line.
    public var resolverAddresses: [Value<String>] = []

    /// Reads a gateway's rendered fastd and unbound configs; lines it does not know are left alone.
    public init(desired: DesiredState, domains: [String]) {
        for code in domains {
            guard desired.file(FastdInstance.configPath(domain: code, number: 1)) != nil else { continue }
            var facts = Fastd()
            // Every instance's bind lines count as served ports; methods and MTU are the same in all, read from the first.
            for number in 1...SiteDefaults.maxFastdInstances {
                let path = FastdInstance.configPath(domain: code, number: number)
                guard let file = desired.file(path) else { break }
                var methods: [String] = []
                var firstMethodLine: Int?
                for (index, raw) in file.content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    let at = "\(path):\(index + 1) (rendered)"
                    if let port = Self.bindPort(line) { facts.ports.append(Value(value: port, location: at)) }
                    guard number == 1 else { continue }
                    if let method = Self.quotedArgument(line, keyword: "method") {
                        methods.append(method)
                        firstMethodLine = firstMethodLine ?? index + 1
                    }
                    if line.hasPrefix("mtu "), line.hasSuffix(";"), let mtu = Int(line.dropFirst(4).dropLast()) { facts.mtu = Value(value: mtu, location: at) }
                }
                if let line = firstMethodLine { facts.methods = Value(value: methods, location: "\(path):\(line) (rendered)") }
            }
            fastd[code] = facts
        }
        let unbound = "/etc/unbound/unbound.conf.d/gwsetup.conf"
        for (index, raw) in (desired.file(unbound)?.content ?? "").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("interface:") else { continue }
            let text = line.dropFirst("interface:".count).trimmingCharacters(in: .whitespaces)
            guard let address = IPAddress(text), AddressScope.of(address) != .loopback else { continue }
            resolverAddresses.append(Value(value: address.description, location: "\(unbound):\(index + 1) (rendered)"))
        }
    }

    /// `bind any:10000;`, `bind 0.0.0.0:10000;` or `bind [::]:10000 …;` → 10000.
    static func bindPort(_ line: String) -> Int? {
        guard line.hasPrefix("bind "), line.hasSuffix(";") else { return nil }
        let target = line.dropFirst(5).dropLast().split(separator: " ").first ?? ""
        guard let colon = target.lastIndex(of: ":") else { return nil }
        return Int(target[target.index(after: colon)...])
    }

    /// `method "salsa2012+umac";` → salsa2012+umac.
    static func quotedArgument(_ line: String, keyword: String) -> String? {
        guard line.hasPrefix(keyword + " \""), line.hasSuffix("\";") else { return nil }
        return String(line.dropFirst(keyword.count + 2).dropLast(2))
    }
}
