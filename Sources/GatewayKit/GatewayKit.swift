/// gwsetup's library: site model, desired state, rendering, planning, applying and verifying gateways.
public enum GatewayKit {
    /// Reported by `gwsetup --version` so bug reports name the build.
    public static let version = "0.1.0"
}
