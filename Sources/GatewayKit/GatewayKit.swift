/// gwsetup's library: site model, desired state, rendering, planning, applying and verifying gateways.
public enum GatewayKit {
    /// Reported by `gwsetup --version` so bug reports name the build; packaging/build-deb.sh reads this line as the
    /// package version, so it is the one place the version is written.
    public static let version = "0.1.0"
}
