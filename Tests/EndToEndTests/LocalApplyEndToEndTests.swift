import Foundation
import Testing
@testable import GatewayKit

/// gwsetup run on the gateway itself (`ssh: local`), the way an admin without a second machine uses it.
/// It starts from the converged gateway and applies the changed site: the first apply is ApplyEndToEndTests' proof, and
/// the local transport runs the same steps through another door.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct LocalApplyEndToEndTests {
    @Test("gwsetup inside a gateway VM with the local transport rewrites and restarts what a changed site needs, logs each step to its journal, and then plans nothing")
    func localApplyInsideTheGateway() async throws {
        let site = try String(contentsOfFile: GwsetupCLI.fixture("vm-site-changed.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "ssh: root@gwvm", with: "ssh: local")
        try await withVM(.convergedGateway(name: "gwlocal")) { vm in
            try await GwsetupCLI.install(in: vm)
            try await vm.write(Data(site.utf8), to: "/root/site.yaml")

            let apply = try await vm.ssh("gwsetup apply --yes --site /root/site.yaml", timeout: .seconds(2400))
            try #require(apply.succeeded, "local apply failed:\n\(apply.stdoutText)\n\(apply.stderrText)")
            #expect(apply.stdoutText.contains("Apply complete on gw1"), "\(apply.stdoutText)")
            #expect(!apply.stdoutText.contains("ssh:"), "a local run opens no ssh connection")
            let active = try await vm.ssh("systemctl is-active \(ApplyEndToEndTests.services.joined(separator: " "))")
            #expect(active.stdoutText == String(repeating: "active\n", count: ApplyEndToEndTests.services.count), "\(active.stdoutText)")
            #expect(try await vm.run("batctl meshif bat-ffx gw_mode").hasPrefix("server"))

            let logged = try await vm.run("journalctl -q -t gwsetup GWSETUP_STEP=file GWSETUP_RESOURCE=/etc/radvd.conf -o export | grep -a '^GWSETUP_OUTCOME='")
            #expect(logged == "GWSETUP_OUTCOME=changed\n", "the journal has no structured record of writing /etc/radvd.conf")

            let plan = try await vm.ssh("gwsetup plan --detailed-exitcode --site /root/site.yaml")
            #expect(plan.status == 0, "plan after the local apply:\n\(plan.stdoutText)\(plan.stderrText)")
        }
    }
}
