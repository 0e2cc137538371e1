#if canImport(Glibc)
import Glibc
#endif

/// One feature of the agent (uplink health, respondd, metrics), driven by the run loop on a single thread: it is
/// woken when its time comes or when one of its descriptors has data, and must return quickly either way.
public protocol AgentService: AnyObject {
    /// Shown in events and the unit's STATUS line.
    var name: String { get }
    /// Sockets the loop polls for reading; empty for a service driven by time alone.
    var descriptors: [Int32] { get }
    /// What the loop polls for this service now; by default `descriptors` for reading. A probe round in flight
    /// adds its sockets here (waiting to write while a connect is under way), so a round never blocks the loop.
    var pollRequests: [PollRequest] { get }
    /// The monotonic instant the service next wants `tick`; nil to be woken only by its descriptors.
    func nextDeadline() -> ContinuousClock.Instant?
    /// Called when the deadline has passed.
    func tick(now: ContinuousClock.Instant)
    /// Called when `descriptor` is readable.
    func readable(_ descriptor: Int32)
    /// Called when poll() reported `revents` for one of `pollRequests`; by default `readable`.
    func ready(_ descriptor: Int32, revents: Int16)
    /// Called on SIGHUP (`gwsetup maintenance` sends one): look at the world again now rather than at the next deadline.
    func wake()
    /// Called once when the agent stops (SIGTERM); a service restores nothing here, its state stays on disk.
    func stop()
}

extension AgentService {
    public var descriptors: [Int32] { [] }
    public var pollRequests: [PollRequest] { descriptors.map { PollRequest(descriptor: $0, events: Int16(POLLIN)) } }
    public func readable(_ descriptor: Int32) {}
    public func ready(_ descriptor: Int32, revents: Int16) { readable(descriptor) }
    public func wake() {}
    public func stop() {}
}

/// One descriptor for poll() and the events it waits for (POLLIN, or POLLOUT while a connect is under way).
public struct PollRequest: Sendable, Equatable {
    public var descriptor: Int32
    public var events: Int16
}
