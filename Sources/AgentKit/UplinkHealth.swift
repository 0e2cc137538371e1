/// The uplink's verdict from consecutive probe rounds: `fail_after` failures in a row take it down, `recover_after`
/// successes in a row bring it back; a single odd round in between changes nothing.
public struct UplinkHealth: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable { case up, down }
    public enum Transition: Sendable, Equatable { case wentDown, cameUp }

    public private(set) var verdict: Verdict
    public private(set) var consecutiveFailures = 0
    public private(set) var consecutiveSuccesses = 0
    public let failAfter: Int
    public let recoverAfter: Int

    /// A fresh agent assumes the uplink up; one that finds it drained by an earlier run starts `down`.
    public init(verdict: Verdict = .up, failAfter: Int, recoverAfter: Int) {
        self.verdict = verdict
        self.failAfter = failAfter
        self.recoverAfter = recoverAfter
    }

    /// Counts one probe round; returns the transition it completed, if any.
    public mutating func record(roundSucceeded: Bool) -> Transition? {
        if roundSucceeded {
            consecutiveFailures = 0
            consecutiveSuccesses += 1
            if verdict == .down, consecutiveSuccesses >= recoverAfter {
                verdict = .up
                return .cameUp
            }
        } else {
            consecutiveSuccesses = 0
            consecutiveFailures += 1
            if verdict == .up, consecutiveFailures >= failAfter {
                verdict = .down
                return .wentDown
            }
        }
        return nil
    }
}
