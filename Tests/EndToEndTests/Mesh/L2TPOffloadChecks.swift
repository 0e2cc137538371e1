import Foundation
@testable import GatewayKit

/// What a gateway of a null@l2tp domain shows once an offloading router has joined, read on the real kernel: the
/// peer's interface exists under the instance's stem, the kernel's L2TP carries it, and it is a port of batman-adv.
/// Call after ``MeshRouter/joinOffloadingL2TP(_:peers:mtu:)``; each check names what it saw when it fails.
struct L2TPOffloadChecks {
    let gateway: TestVM
    /// The domain's batman-adv interface on the gateway, `bat-NAME`.
    let batman: String
    /// The fastd instance's peer interface stem on this gateway, `v<port>-` (``FastdInstance/peerInterfaceStem``).
    let stem: String

    /// The instance `port`'s checks in `domain`'s mesh, with the stem gwsetup renders for it.
    init(gateway: TestVM, domain: MeshDomain, port: Int) {
        self.gateway = gateway
        batman = domain.batmanInterface
        stem = FastdL2TPOffload.peerInterfaceStem(port: port)
    }

    /// What the kernel's uevent, `ip l2tp show session` and `batctl meshif X if` said of one peer interface.
    struct Seen: Sendable, Equatable {
        var interface: String
        /// Its uevent says `DEVTYPE=l2tpeth` (l2tp_eth's; `ip -d link` names no kind for it, a tap says `tun`).
        var isL2TP: Bool
        /// `ip l2tp show session` lists it as a session's interface.
        var isSession: Bool
        /// `batctl meshif X if` lists it `active`.
        var inBatman: Bool
    }

    /// Waits (up to `timeout`, polling) for a peer interface under the stem that is an L2TP session in batman-adv,
    /// and returns it; throws with everything seen when none became one.
    @discardableResult
    func waitForOffloadedPeer(timeout: Duration = .seconds(180)) async throws -> Seen {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last: [Seen] = []
        while ContinuousClock.now < deadline {
            last = (try? await peers()) ?? last
            if let good = last.first(where: { $0.isL2TP && $0.isSession && $0.inBatman }) { return good }
            try await Task.sleep(for: .seconds(2))
        }
        let journal = (try? await gateway.run("journalctl -u 'fastd@*' -n 30 --no-pager -o cat")) ?? ""
        throw VMError.commandFailed(name: gateway.name, command: "L2TP offload checks (\(stem)* in \(batman))",
                                    result: "no offloaded peer interface after \(timeout); saw \(last); fastd said:\n\(journal)")
    }

    /// Every interface under the stem right now, each with the three facts; one SSH round.
    func peers() async throws -> [Seen] {
        // Each fact by the name alone; tried by hand on a Debian 12 guest, where it printed I, K, S and B for the peer.
        let output = try await gateway.run("""
            sessions=$(ip l2tp show session 2>&1); ports=$(batctl meshif \(ShellQuote.quote(batman)) if 2>&1)
            for d in /sys/class/net/\(stem)*; do [ -e "$d" ] || continue; n=${d##*/}
              printf 'I %s\\n' "$n"
              grep -qx DEVTYPE=l2tpeth "$d/uevent" && printf 'K %s\\n' "$n"
              printf '%s\\n' "$sessions" | grep -qw -- "$n" && printf 'S %s\\n' "$n"
              printf '%s\\n' "$ports" | grep -qx -- "$n: active" && printf 'B %s\\n' "$n"
            done; true
            """)
        return Self.parse(output)
    }

    /// The records of ``peers()``: `I name` per interface, `K name` for an l2tp_eth device, `S name` per session, `B name` per batman port.
    static func parse(_ output: String) -> [Seen] {
        var names: [String] = []
        var kinds = Set<String>(), sessions = Set<String>(), ports = Set<String>()
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard fields.count == 2 else { continue }
            switch fields[0] {
            case "I": names.append(fields[1])
            case "K": kinds.insert(fields[1])
            case "S": sessions.insert(fields[1])
            case "B": ports.insert(fields[1])
            default: continue
            }
        }
        return names.map { Seen(interface: $0, isL2TP: kinds.contains($0), isSession: sessions.contains($0), inBatman: ports.contains($0)) }
    }
}
