import Testing
@testable import AgentKit

/// The real runner: an argument vector (no shell of its own), stdout and stderr apart, the exit status as it was.
@Suite struct SpawnedCaptureTests {
    @Test func capturesStdoutStderrAndStatus() {
        let capture = SpawnedCapture().capture(["sh", "-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"])
        #expect(capture == CommandCapture(status: 3, output: "out\n", errorOutput: "err\n"))
    }

    @Test func argumentsAreNotSplitOrInterpreted() {
        let capture = SpawnedCapture().capture(["printf", "%s|", "a b", "$(echo c)"])
        #expect(capture == CommandCapture(status: 0, output: "a b|$(echo c)|"))
    }

    @Test func aMissingProgramIsAFailureNotACrash() {
        let capture = SpawnedCapture().capture(["gwsetup-no-such-program"])
        #expect(capture.status == -1 && capture.errorOutput.contains("cannot start"))
    }

    @Test func tooMuchOutputIsAFailure() {
        let capture = SpawnedCapture(outputLimit: 1000).capture(["head", "-c", "100000", "/dev/zero"])
        #expect(capture.status == -1 && capture.output.isEmpty && capture.errorOutput.contains("more than 1000 bytes"))
    }
}
