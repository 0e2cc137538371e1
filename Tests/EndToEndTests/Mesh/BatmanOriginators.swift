import Foundation

/// One line of `batctl meshif bat-X originators -H`: whom batman-adv knows in the mesh, and through which hop and
/// hard interface it reaches them.
struct BatmanOriginator: Sendable, Equatable {
    /// The node's originator address: the MAC of its primary hard interface.
    var address: String
    var nextHop: String
    /// The local hard interface towards `nextHop`, e.g. `tnc-ffx` (the backbone) or `vpn-ffx` (fastd).
    var interface: String
    /// Seconds since batman-adv last heard the node's originator message (`0.520s`); nil where the table has none.
    var lastSeen: Double? = nil

    /// The originators of a BATMAN_IV table (` * 02:…  0.520s   (255) 02:… [   tnc-ffx]`); lines that do not parse are skipped.
    static func parse(_ table: String) -> [BatmanOriginator] {
        table.split(separator: "\n").compactMap { line in
            let macs = line.split(separator: " ").filter { $0.range(of: #"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$"#, options: .regularExpression) != nil }
            guard macs.count >= 2, let open = line.lastIndex(of: "["), let close = line.lastIndex(of: "]"), open < close else { return nil }
            let interface = line[line.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            let seen = line.split(separator: " ").first { $0.hasSuffix("s") && Double($0.dropLast()) != nil }.flatMap { Double($0.dropLast()) }
            return BatmanOriginator(address: String(macs[0]), nextHop: String(macs[1]), interface: interface, lastSeen: seen)
        }
    }
}

extension TestVM {
    /// The originators batman-adv `batman` knows right now.
    func originators(batman: String) async throws -> [BatmanOriginator] {
        BatmanOriginator.parse(try await run("batctl meshif \(batman) originators -H"))
    }

    /// This node's own originator address in `batman`: the header's `MainIF/MAC: vpn-ffx/…`, not bat-X's own MAC.
    func originatorAddress(batman: String) async throws -> String {
        let header = try await run("batctl meshif \(batman) originators | head -n1")
        guard let range = header.range(of: #"MainIF/MAC: [^/]+/([0-9a-f:]{17})"#, options: .regularExpression) else {
            throw VMError.commandFailed(name: name, command: "batctl meshif \(batman) originators", result: header)
        }
        return String(header[range].suffix(17))
    }
}
