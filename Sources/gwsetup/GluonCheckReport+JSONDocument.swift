import GatewayKit

/// `gluon check --json` carries its version like every JSON output (schemas/gluon-check.schema.json).
extension GluonCheckReport: JSONDocument {
    static let schemaVersion = JSONSchemaVersions.gluonCheck
    static let schemaName = "gluon-check"
}
