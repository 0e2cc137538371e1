import Foundation

/// The stable JSON form of plans, for scripts and for `--out` files that `apply --plan` reads back.
public enum PlanCoding {
    public static func encode(_ plans: [Plan]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(PlanFile(version: 1, plans: plans))
    }

    public static func decode(_ data: Data, source: String) throws -> [Plan] {
        do {
            let file = try JSONDecoder().decode(PlanFile.self, from: data)
            guard file.version == 1 else { throw RenderError("\(source): plan file version \(file.version) is not supported") }
            return file.plans
        } catch let error as RenderError {
            throw error
        } catch {
            throw RenderError("\(source): not a gwsetup plan file")
        }
    }

    struct PlanFile: Codable {
        let version: Int
        let plans: [Plan]
    }
}
