import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// The agent's only thread: poll() on the services' sockets and a signalfd, timers from their deadlines, and the
/// watchdog's ping between them, so a hung service (or a SIGSTOP) stops the pings and systemd restarts the agent.
public final class AgentRunLoop {
    private let services: [any AgentService]
    private let notifier: ServiceNotifier
    private let events: any EventSink
    private let signalDescriptor: Int32

    /// Blocks SIGTERM, SIGINT and SIGHUP and receives them through a signalfd, so a stop request is just another readable descriptor.
    public init(services: [any AgentService], notifier: ServiceNotifier, events: any EventSink) {
        self.services = services
        self.notifier = notifier
        self.events = events
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGHUP)
        sigprocmask(SIG_BLOCK, &signals, nil)
        signalDescriptor = signalfd(-1, &signals, Int32(SFD_CLOEXEC))
    }

    /// Runs until SIGTERM or SIGINT; SIGHUP wakes every service at once.
    public func run() {
        let clock = ContinuousClock()
        let watchdog = notifier.watchdogInterval
        var nextPing = clock.now
        events.record(AgentEvent(name: "started", message: "agent started with \(services.map(\.name).joined(separator: ", "))", priority: 6))
        notifier.ready(status: "running \(services.map(\.name).joined(separator: ", "))")
        while true {
            let now = clock.now
            if let watchdog, now >= nextPing {
                notifier.alive()
                nextPing = now + watchdog
            }
            for service in services {
                if let deadline = service.nextDeadline(), deadline <= now { service.tick(now: now) }
            }
            var wake = services.compactMap { $0.nextDeadline() }.min() ?? clock.now + .seconds(60)
            if watchdog != nil { wake = min(wake, nextPing) }
            let waitMilliseconds = max(0, Self.milliseconds(wake - clock.now))
            var watched = [pollfd(fd: signalDescriptor, events: Int16(POLLIN), revents: 0)]
            var owners: [any AgentService] = []
            for service in services {
                for request in service.pollRequests {
                    watched.append(pollfd(fd: request.descriptor, events: request.events, revents: 0))
                    owners.append(service)
                }
            }
            let ready = poll(&watched, nfds_t(watched.count), Int32(clamping: waitMilliseconds))
            if ready <= 0 { continue }  // timeout, or EINTR
            if watched[0].revents != 0 {
                var info = signalfd_siginfo()
                let count = read(signalDescriptor, &info, MemoryLayout<signalfd_siginfo>.size)
                guard count == MemoryLayout<signalfd_siginfo>.size, info.ssi_signo == UInt32(SIGHUP) else { break }
                services.forEach { $0.wake() }
                continue
            }
            for (index, entry) in watched.enumerated().dropFirst() where entry.revents != 0 {
                owners[index - 1].ready(entry.fd, revents: entry.revents)
            }
        }
        notifier.stopping()
        services.forEach { $0.stop() }
        events.record(AgentEvent(name: "stopped", message: "agent stopped", priority: 6))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000) + (attoseconds % 1_000_000_000_000_000 > 0 ? 1 : 0)
    }
}
