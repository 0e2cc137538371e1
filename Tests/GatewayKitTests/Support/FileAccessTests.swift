import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// File errors as an admin reads them, never Foundation's, and reads that cannot hang on a device or a FIFO.
@Suite struct FileAccessTests {
    func scratch() throws -> String { try Shell.temporaryDirectory() }

    @Test func aMissingFileADirectoryAndAMissingFolderAreSaidPlainly() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: FileAccessError(path: folder + "/nope", action: "read", reason: "no such file")) { try FileAccess.data(at: folder + "/nope") }
        #expect(throws: FileAccessError(path: folder, action: "read", reason: "it is a directory")) { try FileAccess.data(at: folder) }
        #expect(throws: FileAccessError(path: folder + "/no/plan.json", action: "write", reason: "its folder does not exist")) {
            try FileAccess.write("{}", to: folder + "/no/plan.json")
        }
        #expect(throws: FileAccessError(path: folder, action: "write", reason: "it is a directory")) { try FileAccess.write("{}", to: folder) }
        #expect(FileAccessError(path: "/x", action: "read", reason: "no such file").description == "/x: cannot read (no such file)")
    }

    @Test func aPathWithAControlCharacterIsNeverCreated() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: FileAccessError.self) { try FileAccess.write("x", to: folder + "/out\u{1B}[31m") }
        #expect(error.description == "\(folder)/out\\u{1B}[31m: cannot write (the path contains a control character)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func anEndlessDeviceStopsAtTheLimitAndAnUnwrittenFIFOReadsEmpty() throws {
        #expect(throws: FileAccessError(path: "/dev/zero", action: "read", reason: "larger than 1 MiB")) { try FileAccess.data(at: "/dev/zero", limit: 1 << 20) }
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(mkfifo(folder + "/fifo", 0o600) == 0)
        #expect(try FileAccess.data(at: folder + "/fifo").isEmpty)
    }

    @Test func bytesThatAreNotUTF8AreFoundByLineAndColumn() throws {
        #expect(throws: FileAccess.InvalidUTF8(line: 2, column: 4)) { try FileAccess.decodeUTF8(Data("ok\nabc".utf8) + Data([0xFF]) + Data("d\n".utf8)) }
        #expect(throws: FileAccess.InvalidUTF8(line: 1, column: 3)) { try FileAccess.decodeUTF8(Data("äö".utf8) + Data([0xC3])) }
        #expect(try FileAccess.decodeUTF8(Data("grüß\n".utf8)) == "grüß\n")
    }

    /// GatewayBase words FileManager's and Data's errors without Foundation (the agent links it); the CLI's
    /// NSError-aware wording must say the same of every such error, and NSErrors keep their wording.
    @Test func theAgentsWordingOfFileErrorsIsTheCLIs() {
        let thrown: [any Error] = [
            CocoaError(.fileWriteUnknown, userInfo: [NSUnderlyingErrorKey: POSIXError(.ENOSPC)]),
            CocoaError(.fileNoSuchFile, userInfo: [NSUnderlyingErrorKey: POSIXError(.ENOENT)]),
            CocoaError(.fileWriteVolumeReadOnly), CocoaError(.fileReadNoPermission), CocoaError(.fileWriteFileExists),
            CocoaError(.fileReadCorruptFile), POSIXError(.EACCES), POSIXError(.ELOOP), DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "")),
        ]
        for error in thrown {
            for reading in [true, false] {
                #expect(FileAccess.reason(thrown: error, reading: reading) == FileAccess.reason(for: error, reading: reading), "\(error)")
            }
        }
        #expect(FileAccess.reason(thrown: thrown[0], reading: false) == "no space left on the device")
        #expect(FileAccess.reason(thrown: thrown[2], reading: false) == "read-only file system")
        #expect(FileAccess.reason(for: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)), reading: true) == "permission denied")
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))])
        #expect(FileAccess.reason(for: wrapped, reading: false) == "read-only file system")
    }
}
