import Foundation
import GatewayBase

/// The stable JSON form of plans, for scripts and for `--out` files that `apply --plan` reads back.
///
/// A plan file is read as hostile: a size cap, no key the encoder never writes, every name within its grammar,
/// and errors that name where in the file a value is wrong without showing the value.
public enum PlanCoding {
    /// Far above a fleet's plan (a gateway's is about 60 kB with every new file's diff); a bigger file is not ours.
    public static let maximumBytes = 4 << 20

    public static func encode(_ plans: [Plan]) throws -> Data {
        try StableJSON.encode(PlanFile(version: JSONSchemaVersions.plan, plans: plans))
    }

    public static func decode(_ data: Data, source: String) throws -> [Plan] {
        guard data.count <= maximumBytes else {
            throw PlanFileError("\(source): not a gwsetup plan file (over \(maximumBytes) bytes; plans are smaller)")
        }
        do {
            let plans = try JSONDecoder().decode(PlanFile.self, from: data).plans
            if let suspicious = JSONKeyScan.firstSuspiciousKey(in: data) {
                let what = suspicious.escaped ? "an object key is written with escapes" : "the key \(Echo.quoted(suspicious.key, limit: 40)) appears twice in one object"
                throw PlanFileProblem(text: "\(what); gwsetup never writes that", line: suspicious.line)
            }
            return plans
        } catch let problem as PlanFileProblem {
            throw PlanFileError("\(source)\(problem.line.map { ":\($0)" } ?? ""): \(problem.text)")
        } catch let error as DecodingError {
            throw PlanFileError("\(source): \(describe(error))")
        } catch {
            throw PlanFileError("\(source): not a gwsetup plan file")
        }
    }

    /// Where and what, never the value: a hostile file's content stays out of the terminal.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context):
            return "\(path(context.codingPath)) has the wrong type"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not a gwsetup plan file (not valid JSON)" }
            return "\(path(context.codingPath)) is not a value gwsetup writes"
        @unknown default:
            return "not a gwsetup plan file"
        }
    }

    /// `plans[0].changes[3].resource`, the way a reader finds it in the file.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + Echo.inline(key.stringValue, limit: 40) }
        }
        return text.isEmpty ? "the file" : text
    }

    struct PlanFile: Codable {
        let version: Int
        let plans: [Plan]

        init(version: Int, plans: [Plan]) {
            self.version = version
            self.plans = plans
        }

        init(from decoder: any Decoder) throws {
            // Anything without a version is not ours; say no more than that.
            guard let keys = try? decoder.container(keyedBy: CodingKeys.self), keys.contains(.version) else {
                throw PlanFileProblem(text: "not a gwsetup plan file")
            }
            try decoder.allowOnly(["version", "plans"])
            guard let version = try? keys.decode(Int.self, forKey: .version) else {
                throw PlanFileProblem(text: "plan file version is not a whole number")
            }
            guard version == JSONSchemaVersions.plan else { throw PlanFileProblem(text: "plan file version \(version) is not supported") }
            self.version = version
            plans = try keys.decode([Plan].self, forKey: .plans)
        }
    }
}

/// A plan file error worded in full, with the place in the file and without its value.
struct PlanFileProblem: Error {
    let text: String
    /// The line in the file, where it is known without a second parse.
    var line: Int? = nil

    init(text: String, line: Int? = nil) {
        self.text = text
        self.line = line
    }

    init(_ path: [any CodingKey], _ reason: String) { text = "\(PlanCoding.path(path)) \(reason)" }
}

/// A key that is whatever the file says, to list every key an object has.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

extension Decoder {
    /// Refuses a key the encoder never writes: an edited file may not carry extras a later version would act on.
    func allowOnly(_ allowed: Set<String>) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        if let stranger = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw PlanFileProblem(codingPath, "has a key gwsetup never writes: \(Echo.quoted(stranger, limit: 40))")
        }
    }

    /// A name from a plan file: not empty, at most `limit` bytes, no control characters.
    func checkedName(_ value: String, key: some CodingKey, limit: Int = 4096) throws -> String {
        if value.isEmpty { throw PlanFileProblem(codingPath + [key], "is empty") }
        if value.utf8.count > limit { throw PlanFileProblem(codingPath + [key], "is \(value.utf8.count) bytes long (at most \(limit))") }
        if value.unicodeScalars.contains(where: Echo.isControl) { throw PlanFileProblem(codingPath + [key], "contains a control character") }
        return value
    }

    /// A sha256 as the planner writes it: 64 lowercase hex digits.
    func checkedDigest(_ value: String, key: some CodingKey) throws -> String {
        guard value.utf8.count == 64, value.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw PlanFileProblem(codingPath + [key], "is not a sha256 digest")
        }
        return value
    }
}
