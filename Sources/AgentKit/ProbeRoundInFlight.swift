#if canImport(Glibc)
import Glibc
#endif

/// One probe round under way: its open sockets, polled by whoever drives it (the agent's run loop, or
/// `ProbeRound.run`), until a target answers (success), every target failed, or the deadline passed (failure).
final class ProbeRoundInFlight {
    let deadline: ContinuousClock.Instant
    private var attempts: [any ProbeAttempt]
    /// nil while the round waits; set once, when it is over, and then every socket is closed.
    private(set) var verdict: Bool?

    /// A round whose sockets could not be opened at all is over at once: it failed.
    init(attempts: [any ProbeAttempt], deadline: ContinuousClock.Instant) {
        self.attempts = attempts
        self.deadline = deadline
        if attempts.isEmpty { verdict = false }
    }

    /// The sockets still waiting and what each waits for.
    var pollRequests: [PollRequest] { attempts.map { PollRequest(descriptor: $0.descriptor, events: $0.events) } }

    /// poll() reported `revents` on `descriptor`; a descriptor that is no longer the round's (closed when another
    /// target answered in the same poll) is ignored.
    func handle(_ descriptor: Int32, revents: Int16) {
        guard verdict == nil, let index = attempts.firstIndex(where: { $0.descriptor == descriptor }) else { return }
        switch attempts[index].handle(revents) {
        case true?:
            finish(true)
        case false?:
            close(attempts.remove(at: index).descriptor)
            if attempts.isEmpty { verdict = false }
        case nil:
            break
        }
    }

    /// The round's time is up at `now`: no answer so far is a failed round.
    func expire(now: ContinuousClock.Instant) {
        if verdict == nil, now >= deadline { finish(false) }
    }

    /// Closes every socket without a verdict (the agent is stopping).
    func cancel() {
        attempts.forEach { close($0.descriptor) }
        attempts = []
    }

    private func finish(_ answered: Bool) {
        cancel()
        verdict = answered
    }

    deinit { cancel() }
}
