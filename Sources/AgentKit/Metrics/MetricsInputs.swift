/// Where the collector's figures come from: the live gateway, or fixtures in tests.
public protocol MetricsInputs: Sendable {
    func batman(_ mesh: String) -> BatmanTables
    func fastd(socket: String) -> FastdStatus?
    /// A small text file (lease file, /proc/sys value); nil when absent.
    func file(_ path: String) -> String?
}

/// The running gateway: batctl, fastd's socket, files.
public struct LiveMetricsInputs: MetricsInputs {
    public init() {}
    public func batman(_ mesh: String) -> BatmanTables { .read(mesh: mesh) }
    public func fastd(socket: String) -> FastdStatus? { .read(socket: socket) }
    public func file(_ path: String) -> String? { SmallFile.read(path, limit: 16 << 20) }
}

/// The uplink check's figures the metrics carry (from the agent's state file).
public struct UplinkFigures: Sendable, Equatable {
    public var up: Bool
    public var drained: Bool
    public var maintenance: Bool
    public var transitionsDown: Int
    public var transitionsUp: Int

    public init(up: Bool, drained: Bool, maintenance: Bool, transitionsDown: Int, transitionsUp: Int) {
        self.up = up
        self.drained = drained
        self.maintenance = maintenance
        self.transitionsDown = transitionsDown
        self.transitionsUp = transitionsUp
    }
}
