import Testing
@testable import GatewayKit

/// One round of fixing: every cross-check failure of a file is reported together.
@Suite struct SiteAllErrorsTests {
    @Test func everySemanticErrorIsReportedAtOnce() {
        expectSiteErrors("""
            site: {code: ffx}
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
                mtu: ⟨1500
              - code: ffy
                prefix4: ⟨10.99.0.0/17
                prefix6: ⟨fd99:0:0:100::/56
                fastd: {port: ⟨10000}
            access: {ssh_port: 22}
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: ⟨10.98.0.1, ipv6: "fd99::1"}
              - name: ⟨gw1
                uplink: ⟨a-very-long-uplink
                addresses:
                  ffx: {ipv4: 10.99.0.2, ipv6: ⟨"fd99::1"}
                  ⟨ffz: {ipv6: "fd97::1"}

            """,
            "mtu 1500 is outside what fastd and batman-adv can carry (1280–1426)",
            "prefix4 10.99.0.0/17 of domain 'ffy' overlaps 10.99.0.0/16 of domain 'ffx'",
            "prefix6 fd99:0:0:100::/56 must be a /64: SLAAC and router advertisements need one",
            "fastd port 10000 of domain 'ffy' collides with the fastd port of domain 'ffx'",
            "gateway address 10.98.0.1 is outside prefix4 10.99.0.0/16 of domain 'ffx'",
            "gateway name 'gw1' is used twice",
            "uplink 'a-very-long-uplink' is not a valid interface name (1–15 characters, no '/' or space)",
            "address fd99::1 is used by gateway 'gw1' too",
            "gateway 'gw1' has addresses in domain 'ffz', which does not exist; did you mean 'ffx'?")
    }
}
