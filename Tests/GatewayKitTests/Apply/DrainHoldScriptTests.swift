import Foundation
import Testing
@testable import GatewayKit

/// Apply's start, restart and reload leave a drained gateway's DHCP server and radvd alone: the script's own
/// functions run in a real shell, with the drained marker moved to a scratch folder and systemctl recorded.
@Suite struct DrainHoldScriptTests {
    func run(_ calls: String, drained: Bool) throws -> String {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let preamble = ApplyScriptFunctions.preamble(holder: "test")
        let functions = preamble.split(separator: "\n").filter { line in
            ["gw_held()", "gw_start()", "gw_restart()", "gw_reload()"].contains { line.hasPrefix($0) }
        }
        #expect(functions.count == 4, "\(functions)")
        let marker = "\(folder.path)/drained"
        let script = """
            systemctl() { echo "systemctl $*" >> \(folder.path)/log; }
            gw_journal() { :; }
            \(functions.joined(separator: "\n").replacingOccurrences(of: ShellQuote.quote(LiveNetwork.drainedMarker), with: ShellQuote.quote(marker)))
            \(drained ? ": > \(marker)" : "")
            \(calls)
            cat \(folder.path)/log 2>/dev/null
            """
        return try Shell.run(script).output
    }

    @Test func drainedHoldsDnsmasqAndRadvdOnly() throws {
        let calls = "gw_start dnsmasq.service; gw_restart radvd.service; gw_reload dnsmasq.service; gw_restart chrony.service"
        #expect(try run(calls, drained: true) == "systemctl restart -- chrony.service\n")
        #expect(try run(calls, drained: false) == """
            systemctl start -- dnsmasq.service
            systemctl restart -- radvd.service
            systemctl reload-or-restart -- dnsmasq.service
            systemctl restart -- chrony.service

            """)
    }
}
