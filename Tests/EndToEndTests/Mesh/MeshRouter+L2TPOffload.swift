import Foundation
@testable import GatewayKit

extension MeshRouter {
    /// Joins one domain the way a Gluon node in performance mode does: fastd with only `null@l2tp`, offloaded to the
    /// kernel's L2TP. fastd v22 offloads only in multi-TAP mode without persistent interfaces, so each gateway gets a
    /// session interface of its own, `l2tpN-NAME` (N its place in `peers`), which the on-up hook puts into batman-adv.
    /// Everything else (batman-adv, bridge, client namespace, unit `fastd-NAME`) is what ``join(_:peers:method:mtu:)`` makes.
    func joinOffloadingL2TP(_ link: MeshLink, peers: [Peer], mtu: Int) async throws {
        let peerBlocks = peers.enumerated().map { index, peer in
            "peer \"\(peer.name)\" {\n  key \"\(peer.key)\";\n  interface \"\(Self.l2tpInterface(link, index))\";\n"
                + "  remote \(TestVM.hostAddressFromGuest):\(peer.port);\n}\n"
        }.joined()
        let config = """
            mode multitap;
            persist interface no;
            offload l2tp yes;
            method "\(FastdL2TPOffload.method)";
            mtu \(mtu);
            include "secret.conf";
            \(peerBlocks)on up "
              ip link set dev $INTERFACE up
              ip link set dev $INTERFACE master \(link.batman)
            ";

            """
        // fastd checks at start that it can make an L2TP session; the modules must be there before it runs.
        _ = try await vm.run("modprobe -a \(FastdL2TPOffload.modules.joined(separator: " "))")
        try await start(link, fastdConfig: config)
    }

    /// The router's session interface towards `peers[index]`: `l2tp0-ffx`, within 15 bytes for a name of up to 9.
    static func l2tpInterface(_ link: MeshLink, _ index: Int) -> String { "l2tp\(index)-\(link.name)" }
}
