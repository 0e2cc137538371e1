/// respondd in the agent's run loop: the loop polls the responder's socket, and every 30 s the bridges are joined
/// again, so a bridge that networkd recreated (a new ifindex) is answered on once more.
public final class RespondService: AgentService {
    public let name = "respondd"
    public let responder: RespondResponder
    private var nextRejoin = ContinuousClock.now

    public init(responder: RespondResponder) { self.responder = responder }

    public var descriptors: [Int32] { [responder.descriptor] }
    public func nextDeadline() -> ContinuousClock.Instant? { nextRejoin }

    public func tick(now: ContinuousClock.Instant) {
        responder.rejoin()
        nextRejoin = now + .seconds(30)
    }

    public func readable(_ descriptor: Int32) { responder.serveOnce(timeoutMilliseconds: 0) }
    public func wake() { responder.rejoin() }
}
