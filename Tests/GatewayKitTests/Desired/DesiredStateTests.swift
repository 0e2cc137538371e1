import Testing
@testable import GatewayKit
import TestSupport

/// Builds the desired state of an example site's gateway with the bundled templates.
func desiredState(example: String, gateway: String) throws -> DesiredState {
    let site = try SiteLoader.load(path: TestPaths.example(example)).site
    let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
    return try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway(gateway)))
}

@Suite struct DesiredStateTests {
    @Test func singleGatewayHasEveryDaemonsConfig() throws {
        let desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1")
        let paths = Set(desired.files.map(\.path))
        for path in ["/etc/fastd/ffx/fastd.conf", "/etc/systemd/network/30-bat-ffx.netdev", "/etc/systemd/network/20-br-ffx.network",
                     "/etc/dnsmasq.d/gwsetup.conf", "/etc/unbound/unbound.conf.d/gwsetup.conf", "/etc/chrony/chrony.conf",
                     "/etc/radvd.conf", "/etc/gwsetup/firewall/rules.v4", "/etc/gwsetup/firewall/rules.v6",
                     "/etc/ssh/sshd_config.d/gwsetup.conf", "/etc/fail2ban/jail.d/gwsetup.local", "/etc/sysctl.d/90-gwsetup.conf",
                     "/etc/modules-load.d/gwsetup.conf", "/home/alice/.ssh/authorized_keys", "/etc/sudoers.d/gwsetup-admins",
                     "/etc/systemd/system/gwsetup-firewall.service"] {
            #expect(paths.contains(path), "missing \(path)")
        }
        #expect(desired.packages.contains("fastd") && desired.packages.contains("batctl"))
        #expect(desired.modules.contains("batman_adv"))
        #expect(desired.fastdKeys == [FastdKey(instance: "ffx", secretPath: "/etc/fastd/ffx/secret.conf")])
        #expect(desired.units.map(\.name).contains("fastd@ffx.service"))
        for file in desired.files { print("==== \(file.path)\n\(file.content)") }
    }
}
