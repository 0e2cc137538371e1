import AgentKit
#if canImport(Glibc)
import Glibc
#endif

/// The long-running part of gwsetup on a gateway: reads the config apply rendered and runs the features it turns on.
@main
enum GatewayAgent {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var configPath = AgentConfig.defaultPath
        var statePath = AgentConfig.defaultStatePath
        while !arguments.isEmpty {
            let flag = arguments.removeFirst()
            guard !arguments.isEmpty, flag == "--config" || flag == "--state" else {
                fail("usage: gwsetup-agent [--config FILE] [--state FILE]")
            }
            if flag == "--config" { configPath = arguments.removeFirst() } else { statePath = arguments.removeFirst() }
        }
        let config: AgentConfig
        do {
            config = try AgentConfig.load(path: configPath)
        } catch {
            fail("\(error)")
        }
        let events = JournalEventSink(alsoStderr: !stderrIsJournal())
        let services = AgentServices.make(config: config, statePath: statePath, events: events)
        AgentRunLoop(services: services, notifier: ServiceNotifier(), events: events).run()
    }

    /// systemd sets JOURNAL_STREAM to stderr's device:inode when stderr already goes to the journal.
    static func stderrIsJournal() -> Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return value == "\(info.st_dev):\(info.st_ino)"
    }

    static func fail(_ message: String) -> Never {
        let line = "gwsetup-agent: \(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        exit(1)
    }
}
