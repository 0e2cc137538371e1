import Foundation
import Synchronization
import Testing
@testable import GatewayKit

/// The confirmation's retries, with a stand-in transport whose first logins fail the way a re-executing sshd
/// refuses them; the confirm script itself is proven for real in FirewallRollbackTests and on the VMs.
struct FirewallConfirmationTests {
    /// Refuses the first `refusals` fresh logins, then answers with `status`; counts every attempt.
    final class RefusingTransport: Transport {
        let refusals: Int
        let status: Int32
        let attempts = Mutex(0)
        var describe: String { "ssh root@gw1" }

        init(refusals: Int, status: Int32 = 0) {
            self.refusals = refusals
            self.status = status
        }

        func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt <= refusals {
                throw TransportError.connectionFailed(where: describe, reason: "the server closed the connection before login")
            }
            return CommandResult(status: status, stdout: Data(), stderr: Data())
        }
    }

    static let rollback = FirewallRollback(token: "t1", timeoutSeconds: 120)

    @Test func loginsRefusedWhileSSHDRestartsAreTriedAgainUntilOneGetsIn() async {
        let transport = RefusingTransport(refusals: 3)
        // The window only has to outlast three refusals; a long one keeps a starved test thread from ending it early.
        let outcome = await FirewallConfirmation.confirm(Self.rollback, over: transport, retryFor: .seconds(900), pause: .milliseconds(10))
        #expect(outcome == .confirmed)
        #expect(transport.attempts.withLock { $0 } == 4)
    }

    @Test func aLockoutThatPersistsEndsAsRollingBackWithTheLastReason() async {
        let transport = RefusingTransport(refusals: .max)
        let outcome = await FirewallConfirmation.confirm(Self.rollback, over: transport, retryFor: .milliseconds(200), pause: .milliseconds(10))
        #expect(outcome == .rollingBack(reason: "\(TransportError.connectionFailed(where: "ssh root@gw1", reason: "the server closed the connection before login"))",
                                        withinSeconds: 120))
        #expect(transport.attempts.withLock { $0 } > 1, "a refused login is tried again")
    }

    @Test func aConfirmScriptThatRanIsNeverRepeated() async {
        let tooLate = RefusingTransport(refusals: 0, status: FirewallRollback.tooLateStatus)
        #expect(await FirewallConfirmation.confirm(Self.rollback, over: tooLate, retryFor: .seconds(900), pause: .milliseconds(10)) == .rolledBack)
        #expect(tooLate.attempts.withLock { $0 } == 1)
    }
}
