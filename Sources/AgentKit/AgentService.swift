/// One feature of the agent (uplink health, respondd, metrics), driven by the run loop on a single thread: it is
/// woken when its time comes or when one of its descriptors has data, and must return quickly either way.
public protocol AgentService: AnyObject {
    /// Shown in events and the unit's STATUS line.
    var name: String { get }
    /// Sockets the loop polls for reading; empty for a service driven by time alone.
    var descriptors: [Int32] { get }
    /// The monotonic instant the service next wants `tick`; nil to be woken only by its descriptors.
    func nextDeadline() -> ContinuousClock.Instant?
    /// Called when the deadline has passed.
    func tick(now: ContinuousClock.Instant)
    /// Called when `descriptor` is readable.
    func readable(_ descriptor: Int32)
    /// Called on SIGHUP (`gwsetup maintenance` sends one): look at the world again now rather than at the next deadline.
    func wake()
    /// Called once when the agent stops (SIGTERM); a service restores nothing here, its state stays on disk.
    func stop()
}

extension AgentService {
    public var descriptors: [Int32] { [] }
    public func readable(_ descriptor: Int32) {}
    public func wake() {}
    public func stop() {}
}
