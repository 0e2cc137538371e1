import Testing
@testable import GatewayKit

/// The VM scenarios read keys from what apply prints; this holds the reader to the printer, without a VM.
@Suite struct PrintedKeysTests {
    @Test func everyKeyTheReportPrintsIsReadBackUnderItsName() {
        var report = ApplyReport(gateway: "gw1", completed: [], failure: nil, publicKeys: ["ffx": "a1b2", "south.2": "c3d4"])
        report.tincPublicKey = "MIIBCgKCAQEA"
        report.wireguardPublicKeys = ["exit": "7/Cxp1nP78+ECSY9b6qGd2hQ9GbAbIx6Ibg2yqctDLU=", "mesh": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="]
        let output = ApplyReportPrinter(colors: false).render(report)
        #expect(PrintedKeys.keys("fastd", in: output) == ["gw1/ffx": "a1b2", "gw1/south.2": "c3d4"], "\(output)")
        #expect(PrintedKeys.keys("tinc", in: output) == ["gw1": "MIIBCgKCAQEA"], "\(output)")
        #expect(PrintedKeys.keys("exit", in: output) == ["gw1": "7/Cxp1nP78+ECSY9b6qGd2hQ9GbAbIx6Ibg2yqctDLU="], "\(output)")
        #expect(PrintedKeys.keys("wireguard", in: output) == ["gw1": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="], "\(output)")
    }
}
