import GatewayBase

/// Where a Gluon generation keeps the fastd settings, so `gluon export` writes what that firmware reads.
public enum GluonFirmwareLayout: String, Sendable, Equatable, CaseIterable {
    /// Gluon up to 2015: one group directly in `fastd_mesh_vpn.backbone`.
    case fastdMeshVPNBackbone = "fastd_mesh_vpn.backbone"
    /// Gluon 2016: `fastd_mesh_vpn.groups`, MTU at `fastd_mesh_vpn.mtu`.
    case fastdMeshVPNGroups = "fastd_mesh_vpn.groups"
    /// Gluon 2017–2021: `mesh_vpn.fastd.groups`, MTU at `mesh_vpn.mtu`.
    case meshVPNMTU = "mesh_vpn.mtu"
    /// Gluon 2022 and later: MTU at `mesh_vpn.fastd.mtu`.
    case meshVPNFastdMTU = "mesh_vpn.fastd.mtu"
}

/// A fastd peer group of the firmware (`backbone`, or a nested `backbone/north`) and its connection limit.
public struct FirmwarePeerGroup: Sendable, Equatable {
    /// Group names from the outermost in.
    public var path: [String]
    public var limit: Int?

    public init(path: [String], limit: Int? = nil) {
        self.path = path
        self.limit = limit
    }

    /// `backbone/north`, as the site file writes it.
    public var name: String { path.joined(separator: "/") }
}

/// A code nodes may choose a domain by (`domain_names`), with the name shown in config mode.
public struct FirmwareDomainName: Sendable, Equatable {
    public var code: String
    public var displayName: String

    public init(code: String, displayName: String) {
        self.code = code
        self.displayName = displayName
    }
}

/// Gluon's grammar for peer and group names (check-site's `need_alphanumeric_key`), which export must keep.
public enum GluonNameGrammar {
    public static func isGluonName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 63 && name.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "_"
        }
    }
}
