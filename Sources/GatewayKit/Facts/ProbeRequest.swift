/// What one probe must look at, derived from the desired state so the probe reads exactly the managed resources.
public struct ProbeRequest: Sendable, Equatable {
    /// Managed paths in a fixed order; the probe names them by index, so no path has to survive a text protocol.
    public var files: [String]
    public var units: [String]
    public var sysctlKeys: [String]
    public var modules: [String]
    /// fastd instance and its secret file; only the public key derived on the host comes back.
    public var fastdKeys: [FastdKey]
    /// Files larger than this come back as hash only: a plan's diff of a huge file helps nobody.
    public var contentLimit: Int

    public init(files: [String], units: [String], sysctlKeys: [String], modules: [String], fastdKeys: [FastdKey], contentLimit: Int = 256 * 1024) {
        self.files = files
        self.units = units
        self.sysctlKeys = sysctlKeys
        self.modules = modules
        self.fastdKeys = fastdKeys
        self.contentLimit = contentLimit
    }

    public init(desired: DesiredState) {
        self.init(files: desired.files.map(\.path), units: desired.units.map(\.name), sysctlKeys: desired.sysctl.map(\.key),
                  modules: desired.modules, fastdKeys: desired.fastdKeys)
    }
}
