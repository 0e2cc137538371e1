import Foundation
import Testing
import AgentKit

/// The agent reads batman-adv through batctl's JSON queries; Debian's real batctl must know each one by that name.
/// batman-adv is not loaded here, so batctl answers a known query with "not a batman-adv interface" and an unknown
/// one with "no valid command" (a misnamed query made every client count 0 on the VMs).
@Suite struct BatmanQueriesTests {
    @Test(arguments: [BatmanTables.queries.originators, BatmanTables.queries.gateways, BatmanTables.queries.globalClients])
    func batctlKnowsTheQuery(_ query: String) throws {
        let answer = try runCommand(["batctl", "meshif", "gwnone0", query])
        let said = answer.output + answer.error
        #expect(said.contains("not present or not a batman-adv interface"), "batctl on \(query): \(said.prefix(300))")
        #expect(!said.contains("no valid command"), "batctl does not know \(query)")
    }
}
