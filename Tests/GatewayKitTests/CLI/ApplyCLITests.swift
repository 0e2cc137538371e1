import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `gwsetup apply`'s refusals that need no gateway: each is one line, exit 1, and nothing is contacted.
@Suite("apply refuses to run unattended without --yes, and names a bad plan file")
struct ApplyCLITests {
    func gwsetup(_ arguments: String) throws -> Shell.Result {
        try Shell.run("'\(TestPaths.gwsetupBinary)' \(arguments) </dev/null")
    }

    @Test func withoutATerminalAndWithoutYesItStopsBeforeConnecting() throws {
        // gw1.ffx.example does not resolve: a connection attempt would say so instead.
        let result = try gwsetup("apply --site '\(TestPaths.example("single-gateway.yaml"))'")
        #expect(result.status == 1)
        #expect(result.output == "error: apply needs confirmation and stdin is not a terminal; pass --yes to apply without asking\n")
    }

    @Test func aPlanFileThatIsNotAPlanIsOneLine() throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "{\"plans\": 3}".write(toFile: "\(directory)/plan.json", atomically: true, encoding: .utf8)
        let result = try gwsetup("apply --site '\(TestPaths.example("single-gateway.yaml"))' --plan '\(directory)/plan.json'")
        #expect(result.status == 1)
        #expect(result.output == "error: \(directory)/plan.json: not a gwsetup plan file\n")
    }
}
