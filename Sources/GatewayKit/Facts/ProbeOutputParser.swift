import Foundation
import GatewayBase

/// Reads the probe's framed output back into facts, refusing output that is cut off or not the probe's.
public enum ProbeOutputParser {
    public static func parse(_ output: String, request: ProbeRequest, gateway: String) throws -> HostFacts {
        func failure(_ line: Int, _ why: String) -> ProbeError { ProbeError(gateway: gateway, reason: "probe output line \(line): \(why)") }
        var facts = HostFacts()
        var unitBlocks: [Int: [String: String]] = [:]
        var fileStats: [String: FileFact] = [:]
        var hashes: [String: String] = [:]
        var contents: [String: [Substring]] = [:]
        var rules: [String: [Substring]] = [:]
        var manifestLines: [Substring]?
        let managed = Set(request.files + request.binaries)
        let sysctlKeys = Dictionary(request.sysctlKeys.map { (ProbeRequest.procPath(ofSysctl: $0), $0) }) { first, _ in first }
        var network = LiveNetworkReader(probe: request.network)
        var started = false
        var finished = false
        for (offset, raw) in output.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = raw
            if !started {
                // Login banners or shell noise before the header are not ours; skip them.
                started = line == ProbeScript.header
                continue
            }
            if finished {
                guard line.isEmpty else { throw failure(number, "output after the end marker") }
                continue
            }
            if line == ProbeScript.trailer { finished = true; continue }
            if line.isEmpty { continue }
            let tag = line.prefix { $0 != "\t" }
            // Values may hold tabs themselves (a config line, a sysctl pair): split only as far as the record needs.
            let limit = ["c": 2, "S": 2, "r4": 1, "r6": 1, "T": 1, "L": 1][String(tag)] ?? Int.max
            let fields = line.split(separator: "\t", maxSplits: limit, omittingEmptySubsequences: false).map(String.init)
            func field(_ index: Int) throws -> String {
                guard index < fields.count else { throw failure(number, "\(fields[0]) record has \(fields.count) fields, expected more") }
                return fields[index]
            }
            func index(_ position: Int, in count: Int) throws -> Int {
                guard let value = Int(try field(position)), (0..<count).contains(value) else {
                    throw failure(number, "\(fields[0]) record names index \(fields[position]) of \(count)")
                }
                return value
            }
            func path(_ position: Int) throws -> String {
                let path = try field(position)
                guard managed.contains(path) else { throw failure(number, "\(fields[0]) record names \(path), which was not asked for") }
                return path
            }
            switch fields[0] {
            case "P":
                facts.packages[try field(1)] = try field(2)
            case "A":
                let name = try field(1)
                facts.users.insert(name)
                if fields.count > 2, let uid = Int(fields[2]), uid < 1000 { facts.systemAccounts[name] = uid }
            case "L":
                facts.localtime = zone(linkedBy: fields.count > 1 ? fields[1] : "")
            case "F":
                let path = try path(1)
                guard let mode = Int(try field(2), radix: 8) else { throw failure(number, "mode \(fields[2]) is not octal") }
                fileStats[path] = FileFact(sha256: "", mode: mode, owner: try field(3), group: try field(4))
            case "H":
                let path = try path(1)
                let hash = try field(2)
                guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else { throw failure(number, "\"\(hash)\" is not a sha256") }
                hashes[path] = hash
            case "c":
                contents[try path(1), default: []].append(Substring(try field(2)))
            case "U":
                let block = try index(1, in: request.units.count)
                let property = try field(2)
                guard let equals = property.firstIndex(of: "=") else { throw failure(number, "\"\(property)\" is not NAME=VALUE") }
                unitBlocks[block, default: [:]][String(property[..<equals])] = String(property[property.index(after: equals)...])
            case "S":
                guard let key = sysctlKeys[try field(1)] else { throw failure(number, "S record names \(fields[1]), which was not asked for") }
                // The kernel prints multi-value keys with tabs; the site writes them with spaces.
                facts.sysctl[key] = try field(2).replacingOccurrences(of: "\t", with: " ")
            case "M":
                facts.loadedModules.insert(try field(1))
            case "K":
                let key = request.fastdKeys[try index(1, in: request.fastdKeys.count)]
                let publicKey = try field(2)
                guard publicKey.count == 64, publicKey.allSatisfy(\.isHexDigit) else {
                    throw failure(number, "fastd public key of \(key.instance) is not 64 hex digits")
                }
                facts.fastdPublicKeys[key.instance] = publicKey
            case "Y":
                guard request.tincKey, let key = TincPublicKey(try field(1)) else { throw failure(number, "the tinc public key is not an RSA public key in base64") }
                facts.tincPublicKey = key.base64
            case "X":
                guard let role = WireGuardKey.Role(rawValue: try field(1)), request.wireguardKeys.contains(role), let key = WireGuardPublicKey(try field(2)) else {
                    throw failure(number, "a WireGuard public key record names no key the probe asked for, or no WireGuard key")
                }
                facts.wireguardPublicKeys[role.rawValue] = key.base64
            case "R4", "R6":
                rules[fields[0].lowercased()] = rules[fields[0].lowercased()] ?? []
            case "r4", "r6":
                guard rules[fields[0]] != nil else { throw failure(number, "ruleset line before its \(fields[0].uppercased()) record") }
                rules[fields[0]]?.append(Substring(try field(1)))
            case "O":
                manifestLines = []
            case "o":
                guard manifestLines != nil else { throw failure(number, "manifest line before its O record") }
                manifestLines?.append(line.dropFirst(2))
            case "T":
                // The file is the gateway's: a line gwsetup never writes is dropped and named, never run.
                guard let trigger = ServiceTrigger(stateLine: try field(1)) else {
                    facts.warnings.append("\(gateway): ignoring \(Echo.quoted(fields[1])) in \(ProbeScript.pendingTriggersPath): not a trigger gwsetup writes")
                    continue
                }
                if !facts.pendingTriggers.contains(trigger) { facts.pendingTriggers.append(trigger) }
            case "N", "n", "D", "B":
                do { try network.read(fields) } catch { throw failure(number, error.reason) }
            default:
                throw failure(number, "unknown record \"\(fields[0].prefix(20))\"")
            }
        }
        // A path with a mode but no hash is a directory or unreadable: not a file gwsetup could compare.
        for (path, stat) in fileStats {
            guard let hash = hashes[path] else { continue }
            var fact = stat
            fact.sha256 = hash
            fact.content = contents[path].map { $0.joined(separator: "\n") + "\n" } ?? ""
            facts.files[path] = fact
        }
        facts.network = network.facts
        facts.rulesV4 = rules["r4"].map { $0.map { $0 + "\n" }.joined() }
        facts.rulesV6 = rules["r6"].map { $0.map { $0 + "\n" }.joined() }
        guard started else { throw ProbeError(gateway: gateway, reason: "the probe printed no header; is /bin/sh a POSIX shell?") }
        guard finished else { throw ProbeError(gateway: gateway, reason: "probe output ends without its end marker (cut off)") }
        facts.readManifest(manifestLines, policy: request.ownership, gateway: gateway)
        for (block, properties) in unitBlocks {
            let name = request.units[block]
            guard let fact = unitFact(properties) else { continue }
            facts.units[name] = fact
        }
        return facts
    }

    /// `/usr/share/zoneinfo/Europe/Berlin` → `Europe/Berlin`; any other target as it is, so it differs from every zone.
    static func zone(linkedBy target: String) -> String {
        guard let range = target.range(of: "/zoneinfo/", options: .backwards) else { return target }
        return String(target[range.upperBound...])
    }

    /// A unit systemd does not know is missing.
    static func unitFact(_ properties: [String: String]) -> UnitFact? {
        let load = properties["LoadState"] ?? ""
        let active = properties["ActiveState"] ?? ""
        if load == "not-found" && active != "active" { return nil }
        return UnitFact(enabled: UnitFact.enabledStates.contains(properties["UnitFileState"] ?? ""), active: active == "active" || active == "reloading")
    }
}

/// The probe could not run or its output made no sense; one line naming the gateway.
public struct ProbeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var gateway: String
    public var reason: String

    public var description: String { "\(gateway): cannot read the gateway's facts: \(reason)" }
}
