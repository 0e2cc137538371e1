import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the agent is doing (Type=notify): ready, alive (the watchdog) and stopping.
public struct ServiceNotifier: Sendable {
    public init() {}

    /// How often the watchdog wants a sign of life: half its WatchdogSec, nil when the unit sets no watchdog.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds / 2))
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func alive() { send("WATCHDOG=1") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func stopping() { send("STOPPING=1") }

    private func send(_ state: String) {
        // Outside systemd (a test, a shell) there is no NOTIFY_SOCKET and sd_notify does nothing.
        _ = sd_notify(0, state)
    }
}
