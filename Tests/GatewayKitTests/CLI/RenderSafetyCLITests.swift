import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `render --output` writes where an admin reads configs, never over a live system's: only into a new or empty
/// folder or one it rendered before, a foreign one only with --force, and never through a planted symbolic link.
@Suite("render writes only into its own folders")
struct RenderSafetyCLITests {
    let site = TestPaths.example("single-gateway.yaml")

    func entries(_ directory: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: directory).sorted()
    }

    @Test func renderingAgainIntoItsOwnOutputWorks() throws {
        let parent = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let output = parent + "/out"
        let first = try runGwsetup(["render", "--site", site, "--output", output])
        #expect(first.status == 0, "\(first.error)")
        #expect(FileManager.default.fileExists(atPath: output + "/" + RenderTree.markerName))
        let again = try runGwsetup(["render", "--site", site, "--output", output])
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.hasPrefix("Rendered "))
    }

    @Test func aForeignFolderIsRefusedUntouchedAndWrittenOnlyWithForce() throws {
        let output = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        try FileManager.default.createDirectory(atPath: output + "/etc", withIntermediateDirectories: true)
        try "a live system\n".write(toFile: output + "/etc/hostname", atomically: true, encoding: .utf8)
        let before = try entries(output)

        let refused = try runGwsetup(["render", "--site", site, "--output", output])
        #expect(refused.status == 1)
        #expect(refused.error == "error: \(output) is not empty and was not written by gwsetup render (no .gwsetup-render in it); choose an empty folder or pass --force\n")
        #expect(try entries(output) == before, "nothing written")

        let forced = try runGwsetup(["render", "--site", site, "--output", output, "--force"])
        #expect(forced.status == 0, "\(forced.error)")
        #expect(FileManager.default.fileExists(atPath: output + "/etc/gwsetup/firewall/rules.v4"))
        #expect(try String(contentsOfFile: output + "/etc/hostname", encoding: .utf8) == "a live system\n")
    }

    @Test func aSymbolicLinkPlantedInItsOwnFolderIsNotFollowed() throws {
        let output = try Shell.temporaryDirectory()
        let elsewhere = try Shell.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        try "".write(toFile: output + "/" + RenderTree.markerName, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: output + "/etc", withDestinationPath: elsewhere)

        let refused = try runGwsetup(["render", "--site", site, "--output", output, "--force"])
        #expect(refused.status == 1)
        #expect(refused.error == "error: \(output)/etc is a symbolic link inside the output folder; render does not follow it\n")
        #expect(try entries(elsewhere).isEmpty, "nothing written through the link")
    }

    @Test func theRootIsRefusedEvenWithForce() throws {
        for spelling in ["/", "//", "/tmp/..", "/./"] {
            let refused = try runGwsetup(["render", "--site", site, "--output", spelling, "--force"])
            #expect(refused.status == 1)
            #expect(refused.error == "error: \(spelling) is the running system's root; render only writes a tree to read or diff (apply changes a host)\n")
        }
    }
}
