import Foundation

/// A document gwsetup prints for machines (`--json`): each carries a top-level `version`, raised whenever its
/// shape changes incompatibly, and is described by `schemas/<schemaName>.schema.json` in the repository.
public protocol JSONDocument: Encodable {
    static var schemaVersion: Int { get }
    /// The schema file's name without `.schema.json`.
    static var schemaName: String { get }
}

/// A document with its `version` key beside its own keys, so adding the version changes no other key.
public struct VersionedJSON<Document: JSONDocument>: Encodable {
    public let document: Document

    public init(_ document: Document) { self.document = document }

    private enum Keys: String, CodingKey { case version }

    public func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(Document.schemaVersion, forKey: .version)
    }
}

extension StableJSON {
    /// A ``JSONDocument`` in the stable form, with its version.
    public static func encodeDocument(_ document: some JSONDocument) throws -> Data {
        try encode(VersionedJSON(document))
    }
}

/// Every JSON document's current version in one place; schemas/*.schema.json name the same numbers.
public enum JSONSchemaVersions {
    /// `plan --json`, `plan --out` files and `show --json` (schemas/plan.schema.json).
    public static let plan = 1
    /// `verify --json` (schemas/verify.schema.json).
    public static let verify = 1
    /// `gluon check --json` (schemas/gluon-check.schema.json).
    public static let gluonCheck = 1
}
