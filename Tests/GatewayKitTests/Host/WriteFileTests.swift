import Foundation
import Testing
@testable import GatewayKit

@Suite("writeFile replaces files atomically with content sent over stdin")
final class WriteFileTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-write-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    @Test func writesExactBytesWithTheRequestedModeAndLeavesNoTempFile() async throws {
        let path = "\(directory)/it's a \"file\" $(touch pwned)"
        let content = Data([0, 1, 2, 0xff, 0x0a, 0x27]) + Data("secret \"quoted\" 'x'\n".utf8)
        try await LocalShell(root: .asIs).writeFile(content, to: path, mode: 0o600)
        #expect(FileManager.default.contents(atPath: path) == content)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [(path as NSString).lastPathComponent])
    }

    @Test func replacingKeepsReadersOnTheOldOrNewInodeNeverAHalfFile() async throws {
        let path = "\(directory)/fastd.conf"
        try await LocalShell(root: .asIs).writeFile(Data("old\n".utf8), to: path)
        let oldInode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        try await LocalShell(root: .asIs).writeFile(Data("new\n".utf8), to: path, owner: "root", group: "root")
        let newInode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        #expect(oldInode != newInode, "the file was rewritten in place instead of renamed over")
        #expect(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) == "new\n")
    }

    @Test func secretsInContentNeverReachTheLog() async throws {
        let records = LogRecords()
        let shell = LocalShell(root: .asIs, logger: records.logger())
        let secret = "secret \"4f1c9b2e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f10\";"
        try await shell.writeFile(Data(secret.utf8), to: "\(directory)/secret.conf", mode: 0o600)
        let logged = records.all.flatMap { [$0.message] + $0.metadata.values }
        #expect(!logged.isEmpty, "the write was not logged at all")
        #expect(!logged.contains { $0.contains("4f1c9b2e") })
        #expect(records.all.contains { $0.metadata[LogKey.stdinBytes] == "\(secret.utf8.count)" })
    }

    @Test func aMissingDirectoryIsAOneLineError() async throws {
        let error = await #expect(throws: TransportError.self) {
            try await LocalShell(root: .asIs).writeFile(Data("x".utf8), to: "\(directory)/no/such/dir/file")
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("local: `write \(directory)/no/such/dir/file` exited with status"))
        #expect(text.split(whereSeparator: \.isNewline).count == 1)
    }

    @Test(arguments: ["relative/path", "/etc/dir/", ""])
    func pathsThatNameNoAbsoluteFileAreRefused(path: String) async throws {
        await #expect(throws: TransportError.self) { try await LocalShell(root: .asIs).writeFile(Data(), to: path) }
    }

    @Test func ownerNamesThatNeedQuotingAreRefused() async throws {
        await #expect(throws: TransportError.self) {
            try await LocalShell(root: .asIs).writeFile(Data(), to: "\(directory)/f", owner: "root; rm -rf /")
        }
    }
}
