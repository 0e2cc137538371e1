import Foundation
import Testing
@testable import GatewayKit

/// A saved plan only ever has to match the fresh one; what apply runs is always derived from the site and the facts.
@Suite struct SavedPlanTests {
    let desired: DesiredState
    let facts: HostFacts
    let current: Plan

    init() throws {
        desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1")
        facts = HostFacts.freshDebian12
        current = Planner.plan(desired, against: facts)
    }

    func saved(_ edit: (inout [PlannedChange]) -> Void) -> SavedPlan {
        var plan = current
        edit(&plan.changes)
        return SavedPlan(file: "p.json", plan: plan)
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "accepted" } catch { return "\(error)" }
    }

    @Test func theUneditedPlanConfirmsAndTheFreshOneIsWhatRuns() throws {
        let decoded = try PlanCoding.decode(try PlanCoding.encode([current]), source: "p.json")
        #expect(decoded == [current], "the strict decoder reads back what the encoder writes, diffs with tabs included")
        #expect(try SavedPlan(file: "p.json", plan: decoded[0]).confirm(current) == current)
        #expect(current.changes.filter { $0.kind == .file }.allSatisfy { $0.digest?.count == 64 }, "every file change commits to its content")
    }

    @Test func anEditedChangeListIsRefusedNamingTheFirstDifference() throws {
        let prefix = "p.json: the saved plan for gw1 differs from what the site and gw1 need now: "
        let extra = saved { $0.insert(PlannedChange(action: .add, kind: .package, resource: "-oDpkg::Pre-Invoke::=reboot", reason: "x"), at: 0) }
        #expect(message { try extra.confirm(current) } == prefix + "+ package '-oDpkg::Pre-Invoke::=reboot' is not in the current plan; run plan again")
        let dropped = saved { $0.removeAll { $0.resource == DesiredState.firewallRulesPath(.ipv6) } }
        #expect(message { try dropped.confirm(current) } == prefix + "+ file '/etc/gwsetup/firewall/rules.v6' is missing from the saved plan; run plan again")
        let otherContent = saved { changes in
            let index = changes.firstIndex { $0.resource == "/etc/radvd.conf" }!
            changes[index].digest = SHA256Digest.hex("interface eth0 {};\n")
        }
        #expect(message { try otherContent.confirm(current) }.contains("+ file '/etc/radvd.conf' is not the same change now"))
        let reordered = saved { $0.swapAt(0, 1) }
        #expect(message { try reordered.confirm(current) } == prefix + "the changes are in a different order; run plan again")
        let reworded = saved { $0[0].reason = "something else"; $0[0].diff = "anything" }
        #expect(try reworded.confirm(current) == current, "reasons and diffs are for reading; they commit to nothing")
    }

    @Test func changesTheSiteCouldNeverAskForAreRefusedBeforeConnecting() throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/plan.json"
        func load(_ edit: (inout [PlannedChange]) -> Void) throws -> String {
            var plan = current
            edit(&plan.changes)
            try PlanCoding.encode([plan]).write(to: URL(fileURLWithPath: path))
            return message { try SavedPlan.load(path, for: desired) }
        }
        #expect(try load { _ in } == "accepted")
        #expect(try load { $0.append(PlannedChange(action: .add, kind: .user, resource: "mallory", reason: "x")) }
            .hasSuffix("+ user 'mallory' is not what the site asks for; run plan again"))
        #expect(try load { $0.append(PlannedChange(action: .run, kind: .service, resource: "restart getty@tty1.service", reason: "x",
                                                   triggers: [.restart("getty@tty1.service")])) }
            .hasSuffix("! service 'restart getty@tty1.service' is not what the site asks for; run plan again"))
        #expect(try load { $0.append(PlannedChange(action: .add, kind: .package, resource: "netcat\u{1B}[2J", reason: "x")) }
            .hasSuffix("plans[0].changes[\(current.changes.count)].resource contains a control character"))
    }

    @Test func aPlanFileIsDecodedStrictlyAndItsValuesAreNeverEchoed() throws {
        let good = String(decoding: try PlanCoding.encode([current]), as: UTF8.self)
        func decode(_ text: String) -> String { message { try PlanCoding.decode(Data(text.utf8), source: "p.json") } }
        #expect(decode(good.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 1, \"exec\" : \"reboot\""))
            == "p.json: the file has a key gwsetup never writes: 'exec'")
        #expect(decode(good.replacingOccurrences(of: "\"reload ssh.service\"", with: "\"reload ssh.service; reboot\"")).hasSuffix("is not a value gwsetup writes"))
        #expect(!decode(good.replacingOccurrences(of: "\"action\" : \"add\"", with: "\"action\" : \"secret-value\"")).contains("secret-value"))
        #expect(decode("{\"plans\": 3}") == "p.json: not a gwsetup plan file")
        #expect(decode(String(repeating: " ", count: PlanCoding.maximumBytes + 1)).contains("over \(PlanCoding.maximumBytes) bytes"))
    }

    @Test func anAdminThatIsASystemAccountOnTheGatewayIsRefusedAtPlanTime() {
        var facts = convergedFacts(desired)
        facts.systemAccounts = ["root": 0, "alice": 105]
        #expect(message { try AdminAccountCheck.check(desired, against: facts) }
            == "gw1: admin 'alice' is a system account there (UID 105); give the admin another name in the site")
        facts.systemAccounts = ["root": 0]
        #expect(message { try AdminAccountCheck.check(desired, against: facts) } == "accepted")
    }

    @Test func theSitesTimezoneIsOwedUntilLocaltimePointsAtIt() throws {
        var facts = convergedFacts(desired)
        facts.localtime = "Europe/Berlin"
        #expect(Planner.plan(desired, against: facts).isEmpty)
        facts.localtime = "Etc/UTC"
        let plan = Planner.plan(desired, against: facts)
        #expect(plan.changes.map(\.resource) == ["run set-timezone"])
        #expect(plan.changes.first?.reason == "timezone Etc/UTC → Europe/Berlin")
        let script = try ApplyScript(plan: plan, desired: desired, holder: "test")
        #expect(script.steps.map(\.title).contains("command set-timezone Europe/Berlin"))
        #expect(script.script.contains("gw_timezone 'Europe/Berlin'"))
    }

    @Test func pendingTriggersTheSiteCannotOweAreNeverRun() {
        var facts = convergedFacts(desired)
        facts.pendingTriggers = [.restart("getty@tty1.service"), .restart("dnsmasq.service")]
        #expect(Planner.plan(desired, against: facts).changes.map(\.resource) == ["restart dnsmasq.service"])
    }

    @Test func theApplyScriptTakesEveryNameFromTheDesiredStateAndEndsAptsOptions() throws {
        var plan = current
        plan.changes.insert(PlannedChange(action: .add, kind: .package, resource: "-oDpkg::Pre-Invoke::=reboot", reason: "x"), at: 0)
        #expect(message { try ApplyScript(plan: plan, desired: desired, holder: "t") }.contains("the plan's package '-oDpkg::Pre-Invoke::=reboot' is not in the site"))
        plan = current
        plan.changes.append(PlannedChange(action: .add, kind: .user, resource: "mallory", reason: "x"))
        #expect(message { try ApplyScript(plan: plan, desired: desired, holder: "t") }.contains("the plan's user 'mallory' is not in the site"))
        let script = try ApplyScript(plan: current, desired: desired, holder: "t")
        #expect(script.script.contains(#"apt-get install $opts -- "$@""#))
        #expect(!script.script.contains("sh -c \"$1\""), "no step runs a string as a command")
    }
}
