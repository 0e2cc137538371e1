import Foundation

extension TestVM {
    /// Runs `command` until its output satisfies `done` or `timeout` passes, riding out a failed SSH round; the last
    /// output and the time it took.
    func poll(_ command: String, timeout: Duration = .seconds(120), every pause: Duration = .milliseconds(500),
              until done: (String) -> Bool) async throws -> (output: String, took: Duration) {
        let started = ContinuousClock.now
        var last = ""
        while ContinuousClock.now - started < timeout {
            last = (try? await ssh(command, timeout: .seconds(60)).stdoutText) ?? ""
            if done(last) { break }
            try await Task.sleep(for: pause)
        }
        return (last, ContinuousClock.now - started)
    }
}
