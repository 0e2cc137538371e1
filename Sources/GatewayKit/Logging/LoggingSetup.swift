import Foundation
import Logging

/// Where log records go: the executable decides once, libraries only ever receive a `Logger`.
public enum LogDestination: Sendable, Hashable {
    case journal
    case standardError
}

/// The executable's one-time logging choice: journald plus stderr on systemd hosts, stderr elsewhere.
public enum LoggingSetup {
    /// journald's native socket; its presence is how a systemd host is recognised.
    public static let journalSocketPath = "/run/systemd/journal/socket"

    /// journald (when its socket exists) and stderr.
    public static func destinations(journalSocket: String = journalSocketPath) -> [LogDestination] {
        var destinations: [LogDestination] = []
        if FileManager.default.fileExists(atPath: journalSocket) { destinations.append(.journal) }
        destinations.append(.standardError)
        return destinations
    }

    /// The handler `bootstrap` installs, separately callable so tests need not touch the process-wide system.
    /// The journal keeps `journalLevel` and finer detail; stderr shows only `standardErrorLevel` and above.
    public static func makeHandler(
        label: String,
        destinations: [LogDestination],
        standardErrorLevel: Logger.Level = .warning,
        journalLevel: Logger.Level = .info
    ) -> any LogHandler {
        let handlers: [any LogHandler] = destinations.map { destination in
            switch destination {
            case .journal:
                var handler = JournalLogHandler(label: label)
                handler.logLevel = journalLevel
                return handler
            case .standardError:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = standardErrorLevel
                return handler
            }
        }
        return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
    }

    /// Call once, first thing in `main`; swift-log allows a single bootstrap per process.
    public static func bootstrap(
        standardErrorLevel: Logger.Level = .warning,
        journalLevel: Logger.Level = .info,
        journalSocket: String = journalSocketPath
    ) {
        let destinations = destinations(journalSocket: journalSocket)
        LoggingSystem.bootstrap { label in
            makeHandler(label: label, destinations: destinations,
                        standardErrorLevel: standardErrorLevel, journalLevel: journalLevel)
        }
    }
}
