import Foundation
import Testing
import TestSupport

@Suite("plan without --gateway works on the whole fleet")
struct FleetCLITests {
    func gwsetup(_ arguments: String) throws -> Shell.Result {
        try Shell.run("'\(TestPaths.gwsetupBinary)' \(arguments)")
    }

    @Test func offlinePlanOfATwoGatewaySiteGroupsOutputPerGatewayAndEndsWithASummary() throws {
        let result = try gwsetup("plan --offline --parallel 2 --detailed-exitcode --site '\(TestPaths.example("two-domains.yaml"))'")
        #expect(result.status == 2)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headers = lines.indices.filter { lines[$0].hasPrefix("gwsetup plan for ") }
        #expect(headers.count == 2)
        // Grouped: each gateway's block runs from its header to its own "Plan:" line, with no other header inside.
        for header in headers {
            let end = try #require(lines[header...].firstIndex { $0.hasPrefix("Plan: ") })
            #expect(!lines[(header + 1)..<end].contains { $0.hasPrefix("gwsetup plan for ") })
        }
        let tableStart = try #require(lines.firstIndex { $0.hasPrefix("gateway ") && $0.contains("result") })
        #expect(tableStart > headers.max()!, "the summary comes after every gateway's plan")
        #expect(lines[tableStart + 1].hasPrefix("gw1 ") && lines[tableStart + 1].contains("changes"))
        #expect(lines[tableStart + 2].hasPrefix("gw2 ") && lines[tableStart + 2].contains("changes"))
        #expect(lines.contains("2 gateways: 2 with changes, 0 failed"))
    }

    @Test func jsonOfAFleetPlanListsEveryGatewayInSiteOrderWithoutTheTable() throws {
        let result = try Shell.run("'\(TestPaths.gwsetupBinary)' plan --offline --json --site '\(TestPaths.example("two-domains.yaml"))' 2>/dev/null")
        #expect(result.status == 0)
        let file = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let plans = try #require(file["plans"] as? [[String: Any]])
        #expect(plans.map { $0["gateway"] as? String } == ["gw1", "gw2"])
    }

    @Test func parallelBelowOneIsAOneLineError() throws {
        let result = try gwsetup("plan --offline --parallel 0 --site '\(TestPaths.example("two-domains.yaml"))'")
        #expect(result.status != 0 && result.status != 2)
        #expect(result.output.contains("--parallel must be at least 1"))
    }
}
