import Foundation
import Logging
import Testing
@testable import GatewayKit

@Suite("JournalLogHandler through libsystemd's real sd_journal_sendv")
struct JournalLogHandlerTests {
    @Test func structuredFieldsReachTheJournalSocket() async throws {
        let datagrams = try await JournalCapture.run {
            var logger = Logger(label: "gwsetup.apply") { JournalLogHandler(label: $0) }
            logger[metadataKey: LogKey.gateway] = "ssh root@gw1:22"
            logger.warning("restarting fastd", metadata: [
                LogKey.step: "services",
                LogKey.resource: "unit:fastd@ffx.service",
                LogKey.outcome: "changed",
            ])
        }
        let fields = try #require(datagrams.first)
        #expect(datagrams.count == 1)
        #expect(fields["MESSAGE"] == "restarting fastd")
        #expect(fields["PRIORITY"] == "4")
        #expect(fields["SYSLOG_IDENTIFIER"] == "gwsetup")
        #expect(fields["GWSETUP_LOGGER"] == "gwsetup.apply")
        #expect(fields["GWSETUP_STEP"] == "services")
        #expect(fields["GWSETUP_RESOURCE"] == "unit:fastd@ffx.service")
        #expect(fields["GWSETUP_OUTCOME"] == "changed")
        #expect(fields["GWSETUP_GATEWAY"] == "ssh root@gw1:22")
        #expect(fields["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true)
        #expect(Int(fields["CODE_LINE"] ?? "") != nil)
    }

    @Test func multiLineMessagesArriveWhole() async throws {
        let message = "iptables-restore failed:\nline 12: unknown option \"--dport\"\n\ttab and = sign"
        let datagrams = try await JournalCapture.run {
            Logger(label: "gwsetup") { JournalLogHandler(label: $0) }.error("\(message)")
        }
        #expect(datagrams.first?["MESSAGE"] == message)
        #expect(datagrams.first?["PRIORITY"] == "3")
    }

    @Test func levelsBelowTheHandlersLevelAreNotSent() async throws {
        let datagrams = try await JournalCapture.run {
            var logger = Logger(label: "gwsetup") { JournalLogHandler(label: $0) }
            logger.logLevel = .notice
            logger.info("chatty")
            logger.notice("kept")
        }
        #expect(datagrams.map { $0["MESSAGE"] } == ["kept"])
    }

    @Test func secretLookingValuesAreNotSpecialCasedSoCallersMustNotLogThem() async throws {
        // The handler stores what it is given: redaction by pattern would be guesswork and give false comfort.
        // The guarantee lives with callers instead: transports log byte counts, never stdin (see WriteFileTests).
        let secretLooking = #"secret "8a1f3c5e7b9d2f4a6c8e0b1d3f5a7c9e8a1f3c5e7b9d2f4a6c8e0b1d3f5a7c9e";"#
        let datagrams = try await JournalCapture.run {
            Logger(label: "gwsetup") { JournalLogHandler(label: $0) }.notice("\(secretLooking)")
        }
        #expect(datagrams.first?["MESSAGE"] == secretLooking)
    }

    @Test func loggingSetupSendsToTheJournalOnlyWhereItsSocketExists() async throws {
        let datagrams = try await JournalCapture.run {
            let handler = LoggingSetup.makeHandler(
                label: "gwsetup", destinations: LoggingSetup.destinations(), standardErrorLevel: .critical, journalLevel: .info)
            Logger(label: "gwsetup") { _ in handler }.info("via bootstrap's handler")
        }
        #expect(datagrams.map { $0["MESSAGE"] } == ["via bootstrap's handler"])
    }

    @Test func destinationsFollowTheSocketsPresence() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-journal-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socketPath = "\(directory)/socket"
        #expect(LoggingSetup.destinations(journalSocket: socketPath) == [.standardError])
        #expect(FileManager.default.createFile(atPath: socketPath, contents: nil))
        #expect(LoggingSetup.destinations(journalSocket: socketPath) == [.journal, .standardError])
    }
}

@Suite("Journal field names")
struct JournalEntryTests {
    @Test(arguments: [
        ("step", "GWSETUP_STEP"),
        ("duration_ms", "GWSETUP_DURATION_MS"),
        ("weird-key.x y", "GWSETUP_WEIRD_KEY_X_Y"),
        ("ümlaut", "GWSETUP__MLAUT"),
    ])
    func metadataKeysBecomeValidJournalFieldNames(key: String, field: String) {
        #expect(JournalEntry.fieldName(forMetadataKey: key) == field)
    }

    @Test func longKeysAreCutToJournaldsLimit() {
        let name = JournalEntry.fieldName(forMetadataKey: String(repeating: "k", count: 100))
        #expect(name.count == 64)
        #expect(name.hasPrefix("GWSETUP_KKK"))
    }

    @Test func prioritiesFollowSyslog() {
        let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
        #expect(levels.map(JournalEntry.priority(of:)) == [7, 7, 6, 5, 4, 3, 2])
    }
}
