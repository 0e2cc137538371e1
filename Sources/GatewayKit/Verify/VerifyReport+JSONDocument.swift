/// `verify --json` for one gateway: the report itself, with its version (schemas/verify.schema.json).
extension VerifyReport: JSONDocument {
    public static let schemaVersion = JSONSchemaVersions.verify
    public static let schemaName = "verify"
}

/// `verify --json` for several gateways: their reports in site order (schemas/verify.schema.json).
public struct VerifyFleetReport: JSONDocument, Sendable {
    public static let schemaVersion = JSONSchemaVersions.verify
    public static let schemaName = "verify"

    public var reports: [VerifyReport]

    public init(reports: [VerifyReport]) { self.reports = reports }
}
