import Foundation

/// Whether a process still runs, as /proc tells it: a zombie has already died, it only awaits its reaper.
enum ProcessState {
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Waits up to two seconds for `pid` to die.
    static func endsSoon(_ pid: Int32) async -> Bool {
        for _ in 0..<200 {
            if !isRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
