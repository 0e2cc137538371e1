import Testing
@testable import AgentKit

/// The verdict only turns after enough rounds in a row; an odd round in between resets the count.
@Suite struct UplinkHealthTests {
    @Test func goesDownAfterFailAfterFailuresInARowAndNotBefore() {
        var health = UplinkHealth(failAfter: 3, recoverAfter: 2)
        #expect(health.record(roundSucceeded: false) == nil)
        #expect(health.record(roundSucceeded: false) == nil)
        #expect(health.verdict == .up)
        #expect(health.record(roundSucceeded: false) == .wentDown)
        #expect(health.verdict == .down)
        #expect(health.record(roundSucceeded: false) == nil, "a transition is reported once")
    }

    @Test func aGoodRoundInBetweenResetsTheFailures() {
        var health = UplinkHealth(failAfter: 3, recoverAfter: 2)
        for round in [false, false, true, false, false] { #expect(health.record(roundSucceeded: round) == nil) }
        #expect(health.verdict == .up)
        #expect(health.consecutiveFailures == 2)
    }

    @Test func comesBackAfterRecoverAfterSuccessesInARow() {
        var health = UplinkHealth(verdict: .down, failAfter: 3, recoverAfter: 2)
        #expect(health.record(roundSucceeded: true) == nil)
        #expect(health.record(roundSucceeded: false) == nil)
        #expect(health.record(roundSucceeded: true) == nil)
        #expect(health.record(roundSucceeded: true) == .cameUp)
        #expect(health.verdict == .up)
    }
}
