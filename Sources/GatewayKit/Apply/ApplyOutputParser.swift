import Foundation

/// What the apply script reported, read from its framed `@` lines.
struct ApplyOutput: Sendable, Equatable {
    var completed: [StepOutcome] = []
    var failure: StepFailure?
    var publicKeys: [String: String] = [:]
    /// The backbone's public key the `gw_tinc_key` step printed.
    var tincPublicKey: String?
    var wireguardPublicKeys: [String: String] = [:]
    /// Set when another apply held the lock; the text names the holder.
    var lockHolder: String?
}

enum ApplyOutputParser {
    static func parse(_ text: String, steps: [ApplyStep], gateway: String) throws -> ApplyOutput {
        var output = ApplyOutput()
        func unreadable(_ why: String) -> ApplyError { .unreadableOutput(gateway: gateway, reason: why) }
        func step(_ field: String) throws -> ApplyStep {
            guard let index = Int(field), steps.indices.contains(index) else { throw unreadable("step \(field) is not one of \(steps.count)") }
            return steps[index]
        }
        for line in text.split(separator: "\n") where line.hasPrefix("@") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields[0] {
            case "@locked":
                output.lockHolder = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : "holder unknown"
            case "@done" where fields.count == 3:
                output.completed.append(StepOutcome(step: try step(fields[1]), milliseconds: Int(fields[2]) ?? 0))
            case "@failed" where fields.count == 5:
                let stderr = Data(base64Encoded: fields[4]).map { String(decoding: $0, as: UTF8.self) } ?? ""
                output.failure = StepFailure(step: try step(fields[1]), status: Int32(fields[2]) ?? 1, stderr: stderr,
                                             milliseconds: Int(fields[3]) ?? 0)
            case "@key" where fields.count == 3:
                output.publicKeys[fields[1]] = fields[2]
            case "@tinc" where fields.count == 2:
                guard let key = TincPublicKey(fields[1]) else { throw unreadable("the tinc public key it printed is not an RSA public key") }
                output.tincPublicKey = key.base64
            case "@wireguard" where fields.count == 3:
                guard let role = WireGuardKey.Role(rawValue: fields[1]), let key = WireGuardPublicKey(fields[2]) else {
                    throw unreadable("the WireGuard public key it printed is not a WireGuard key")
                }
                output.wireguardPublicKeys[role.rawValue] = key.base64
            default:
                throw unreadable("unexpected line \"\(line.prefix(40))\"")
            }
        }
        return output
    }
}
