import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// Every `--json` output, as the built binary prints it, against its schema in schemas/, with Debian's
/// python3-jsonschema (Draft 2020-12) as the validator: the schemas are the documentation scripts rely on.
@Suite struct JSONSchemaTests {
    static let example = TestPaths.example("single-gateway.yaml")
    static let fleet = TestPaths.example("two-domains.yaml")

    /// nil when `json` is valid against `schemas/<name>.schema.json`; the validator's message otherwise.
    func problem(_ json: String, schema name: String) throws -> String? {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let instance = try folder.write("instance.json", json)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)
            for error in errors: print(error.json_path, error.message)
            sys.exit(1 if errors else 0)
            """
        let result = try runCommand(["/usr/bin/python3", "-c", script, "\(TestPaths.repository)/schemas/\(name).schema.json", instance])
        #expect(!result.error.contains("ModuleNotFoundError"), "python3-jsonschema missing: run Tests/setup.sh")
        return result.status == 0 ? nil : result.output + result.error
    }

    func output(_ arguments: [String], expecting status: Int32 = 0) throws -> String {
        let result = try runGwsetup(arguments)
        try #require(result.status == status, "\(arguments): \(result.error)")
        return result.output
    }

    @Test func planJSONOfOneAndOfSeveralGatewaysAndShowJSONMatchThePlanSchema() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let fleet = try output(["plan", "--offline", "--json", "--out", folder.path + "/plan.json", "--site", Self.fleet])
        #expect(try problem(fleet, schema: "plan") == nil)
        #expect(try problem(try output(["plan", "--offline", "--json", "--site", Self.example]), schema: "plan") == nil)
        #expect(try problem(try output(["show", "--json", folder.path + "/plan.json"]), schema: "plan") == nil)
        // Triggers are strings of a closed set, never Swift's synthesized {"restart": {"_0": …}}.
        #expect(fleet.contains("\"restart ") && !fleet.contains("_0"))
    }

    @Test func verifyJSONOfOneGatewayMatchesTheVerifySchema() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let v4 = try folder.write("rules.v4", try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv4))
        let v6 = try folder.write("rules.v6", try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv6)
            .replacingOccurrences(of: ":INPUT DROP", with: ":INPUT ACCEPT"))
        let json = try output(["verify", "--json", "--site", Self.example, "--rules", v4, "--rules6", v6], expecting: 2)
        #expect(json.contains("\"version\" : 1"))
        #expect(json.contains("\"kind\" : \"policy\""), "a drift entry is in the checked output")
        #expect(try problem(json, schema: "verify") == nil)
    }

    @Test func verifyJSONOfSeveralGatewaysMatchesTheVerifySchema() throws {
        // Two gateways on this machine (`ssh: local`): their live rules are whatever this host has; the shape is the point.
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let text = try String(contentsOfFile: Self.fleet, encoding: .utf8)
            .replacingOccurrences(of: "ssh: admin@gw1.ffy.example:2222", with: "ssh: local")
            .replacingOccurrences(of: "ssh: {user: root, host: gw2.ffy.example, port: 2222}", with: "ssh: local")
        let site = try folder.write("site.yaml", text)
        let result = try runGwsetup(["verify", "--json", "--site", site])
        #expect(result.status == 2 || result.status == 0, "\(result.error)")
        let json = result.output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["reports"] as? [[String: Any]])?.compactMap { $0["gateway"] as? String } == ["gw1", "gw2"])
        #expect(try problem(json, schema: "verify") == nil)
    }

    @Test func gluonCheckJSONMatchesTheGluonCheckSchema() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let keys = try folder.write("keys.txt", "gw1 ffx \(String(repeating: "1", count: 64))\n")
        let export = try runGwsetup(["gluon", "export", "--site", Self.example, "--keys", keys, "--output", folder.path + "/firmware"])
        try #require(export.status == 0, "\(export.error)")
        let agree = try output(["gluon", "check", "--json", "--site", Self.example, "--keys", keys, folder.path + "/firmware/site.conf"])
        #expect(try problem(agree, schema: "gluon-check") == nil)
        let conf = folder.path + "/firmware/site.conf"
        let firmware = try String(contentsOfFile: conf, encoding: .utf8)
        try #require(firmware.contains("mtu = 1312"))
        try firmware.replacingOccurrences(of: "mtu = 1312", with: "mtu = 1280").write(toFile: conf, atomically: true, encoding: .utf8)
        let differ = try output(["gluon", "check", "--json", "--site", Self.example, "--keys", keys, conf], expecting: 2)
        #expect(differ.contains("\"field\" : \"mtu\""))
        #expect(try problem(differ, schema: "gluon-check") == nil)
    }

    @Test func theValidatorRejectsWhatTheSchemasForbid() throws {
        let plan = try output(["plan", "--offline", "--json", "--site", Self.example])
        let withoutVersion = plan.replacingOccurrences(of: "\"version\" : 1", with: "\"versions\" : 1")
        #expect(try problem(withoutVersion, schema: "plan")?.contains("'version' is a required property") == true)
        let swiftShape = plan.replacingOccurrences(of: "\"restart chrony.service\"", with: #"{"restart": {"_0": "chrony.service"}}"#)
        #expect(swiftShape != plan)
        #expect(try problem(swiftShape, schema: "plan") != nil)
        #expect(try problem(#"{"version": 1, "disagreements": [{"field": "mtu"}]}"#, schema: "gluon-check") != nil)
        #expect(try problem(#"{"version": 1, "reports": []}"#, schema: "verify") != nil)
    }

    @Test func everyDocumentNamesTheVersionItsSchemaHolds() throws {
        for (name, version) in [("plan", JSONSchemaVersions.plan), ("verify", JSONSchemaVersions.verify), ("gluon-check", JSONSchemaVersions.gluonCheck)] {
            let schema = try String(contentsOfFile: "\(TestPaths.repository)/schemas/\(name).schema.json", encoding: .utf8)
            #expect(schema.contains("\"version\": {\"const\": \(version)"), "\(name)")
        }
    }
}
