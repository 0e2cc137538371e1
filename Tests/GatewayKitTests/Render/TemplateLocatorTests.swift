import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The bundled Templates/ are found in the documented order, with no environment variable for an installed binary.
@Suite struct TemplateLocatorTests {
    /// A folder that holds the one template the locator checks for.
    func makeTemplates(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/fastd", withIntermediateDirectories: true)
        try "{{%CONTENT_TYPE: TEXT}}\n".write(toFile: path + "/fastd/fastd.conf.mustache", atomically: true, encoding: .utf8)
    }

    func makeBinary(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "".write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func anInstallFindsShareGwsetupBesideItsBinFolder() throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeBinary(root + "/usr/bin/gwsetup")
        try makeTemplates(root + "/usr/share/gwsetup/Templates")
        try makeTemplates(root + "/system/Templates")
        let found = TemplateStore.locateBundled(executablePath: root + "/usr/bin/gwsetup", environment: [:], systemDirectory: root + "/system/Templates")
        #expect(found == root + "/usr/share/gwsetup/Templates")
    }

    @Test func aSymlinkOnPathLeadsToTheInstallItPointsInto() throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeBinary(root + "/opt/gwsetup/bin/gwsetup")
        try makeTemplates(root + "/opt/gwsetup/share/gwsetup/Templates")
        try FileManager.default.createDirectory(atPath: root + "/local/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/local/bin/gwsetup", withDestinationPath: root + "/opt/gwsetup/bin/gwsetup")
        let found = TemplateStore.locateBundled(executablePath: root + "/local/bin/gwsetup", environment: [:], systemDirectory: root + "/none")
        #expect(found == root + "/opt/gwsetup/share/gwsetup/Templates")
    }

    @Test func aCheckoutBuildFindsTheRepositorysTemplates() throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeBinary(root + "/repo/.build/x86_64-unknown-linux-gnu/debug/gwsetup")
        try makeTemplates(root + "/repo/Templates")
        let found = TemplateStore.locateBundled(executablePath: root + "/repo/.build/x86_64-unknown-linux-gnu/debug/gwsetup",
                                                environment: [:], systemDirectory: root + "/none")
        #expect(found == root + "/repo/Templates")
    }

    @Test func aCopiedBinaryFallsBackToTheSystemFolderAndOtherwiseToNothing() throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeBinary(root + "/home/admin/gwsetup")
        try FileManager.default.createDirectory(atPath: root + "/home/admin/Templates", withIntermediateDirectories: true)
        try makeTemplates(root + "/system/Templates")
        let binary = root + "/home/admin/gwsetup"
        #expect(TemplateStore.locateBundled(executablePath: binary, environment: [:], systemDirectory: root + "/system/Templates") == root + "/system/Templates",
                "an empty Templates/ beside the binary is not the templates")
        #expect(TemplateStore.locateBundled(executablePath: binary, environment: [:], systemDirectory: root + "/none") == nil)
    }

    @Test func theEnvironmentVariableComesFirstUnlessEmpty() throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try makeBinary(root + "/usr/bin/gwsetup")
        try makeTemplates(root + "/usr/share/gwsetup/Templates")
        let binary = root + "/usr/bin/gwsetup"
        #expect(TemplateStore.locateBundled(executablePath: binary, environment: ["GWSETUP_TEMPLATES": "/elsewhere"], systemDirectory: root + "/none") == "/elsewhere")
        #expect(TemplateStore.locateBundled(executablePath: binary, environment: ["GWSETUP_TEMPLATES": ""], systemDirectory: root + "/none")
                == root + "/usr/share/gwsetup/Templates")
    }

    /// The real binary, copied into a prefix with the repository's templates, plans from anywhere without the variable.
    @Test func theBuiltBinaryCopiedIntoAPrefixPlansWithoutTheVariable() throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let script = """
            set -e
            mkdir -p '\(root)/prefix/bin' '\(root)/prefix/share/gwsetup' '\(root)/elsewhere'
            cp '\(TestPaths.gwsetupBinary)' '\(root)/prefix/bin/gwsetup'
            cp -R '\(TestPaths.repository)/Templates' '\(root)/prefix/share/gwsetup/Templates'
            cp '\(TestPaths.example("single-gateway.yaml"))' '\(root)/elsewhere/site.yaml'
            cd '\(root)/elsewhere'
            env -u GWSETUP_TEMPLATES '\(root)/prefix/bin/gwsetup' plan --offline --site site.yaml
            """
        let result = try Shell.run(script)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Plan: "), "\(result.output)")
    }
}
