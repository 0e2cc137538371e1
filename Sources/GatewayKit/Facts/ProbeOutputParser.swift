import Foundation

/// Reads the probe's framed output back into facts, refusing output that is cut off or not the probe's.
public enum ProbeOutputParser {
    public static func parse(_ output: String, request: ProbeRequest, gateway: String) throws -> HostFacts {
        func failure(_ line: Int, _ why: String) -> ProbeError { ProbeError(gateway: gateway, reason: "probe output line \(line): \(why)") }
        var facts = HostFacts()
        var unitBlocks: [Int: [String: String]] = [:]
        var started = false
        var finished = false
        for (offset, raw) in output.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
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
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
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
            switch fields[0] {
            case "P":
                facts.packages[try field(1)] = try field(2)
            case "A":
                facts.users.insert(try field(1))
            case "F":
                let path = request.files[try index(1, in: request.files.count)]
                guard let mode = Int(try field(3), radix: 8) else { throw failure(number, "mode \(fields[3]) is not octal") }
                let hash = try field(2)
                guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else { throw failure(number, "\"\(hash)\" is not a sha256") }
                facts.files[path] = FileFact(sha256: hash, mode: mode, owner: try field(4), group: try field(5))
            case "C":
                let path = request.files[try index(1, in: request.files.count)]
                guard let data = Data(base64Encoded: try field(2)) else { throw failure(number, "content of \(path) is not base64") }
                guard facts.files[path] != nil else { throw failure(number, "content of \(path) before its hash") }
                facts.files[path]?.content = String(decoding: data, as: UTF8.self)
            case "U":
                let block = try index(1, in: request.units.count)
                let property = try field(2)
                guard let equals = property.firstIndex(of: "=") else { throw failure(number, "\"\(property)\" is not NAME=VALUE") }
                unitBlocks[block, default: [:]][String(property[..<equals])] = String(property[property.index(after: equals)...])
            case "S":
                facts.sysctl[request.sysctlKeys[try index(1, in: request.sysctlKeys.count)]] = try field(2)
            case "M":
                facts.loadedModules.insert(try field(1))
            case "K":
                let key = request.fastdKeys[try index(1, in: request.fastdKeys.count)]
                let publicKey = try field(2)
                guard publicKey.count == 64, publicKey.allSatisfy(\.isHexDigit) else {
                    throw failure(number, "fastd public key of \(key.instance) is not 64 hex digits")
                }
                facts.fastdPublicKeys[key.instance] = publicKey
            case "R4", "R6":
                guard let data = Data(base64Encoded: try field(1)) else { throw failure(number, "\(fields[0]) ruleset is not base64") }
                let rules = String(decoding: data, as: UTF8.self)
                if fields[0] == "R4" { facts.rulesV4 = rules } else { facts.rulesV6 = rules }
            case "T":
                guard let trigger = ServiceTrigger(stateLine: try field(1)) else {
                    throw failure(number, "\"\(fields[1])\" in \(ProbeScript.pendingTriggersPath) is not a trigger")
                }
                if !facts.pendingTriggers.contains(trigger) { facts.pendingTriggers.append(trigger) }
            default:
                throw failure(number, "unknown record \"\(fields[0].prefix(20))\"")
            }
        }
        guard started else { throw ProbeError(gateway: gateway, reason: "the probe printed no header; is /bin/sh a POSIX shell?") }
        guard finished else { throw ProbeError(gateway: gateway, reason: "probe output ends without its end marker (cut off)") }
        for (block, properties) in unitBlocks {
            let name = request.units[block]
            guard let fact = unitFact(properties) else { continue }
            facts.units[name] = fact
        }
        return facts
    }

    /// A unit systemd does not know is missing; `static` and generated units count as enabled, they cannot be more so.
    static func unitFact(_ properties: [String: String]) -> UnitFact? {
        let load = properties["LoadState"] ?? ""
        let active = properties["ActiveState"] ?? ""
        if load == "not-found" && active != "active" { return nil }
        let enabledStates: Set<String> = ["enabled", "enabled-runtime", "static", "alias", "generated", "transient", "linked", "linked-runtime"]
        return UnitFact(enabled: enabledStates.contains(properties["UnitFileState"] ?? ""), active: active == "active" || active == "reloading")
    }
}

/// The probe could not run or its output made no sense; one line naming the gateway.
public struct ProbeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var gateway: String
    public var reason: String

    public var description: String { "\(gateway): cannot read the gateway's facts: \(reason)" }
}
