import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `--version` belongs to the root command only, and prints the one version the package script reads too.
@Suite struct VersionCLITests {
    @Test func theRootPrintsTheVersionAlone() throws {
        let result = try Shell.run("'\(TestPaths.gwsetupBinary)' --version")
        #expect(result.status == 0)
        #expect(result.output == GatewayKit.version + "\n")
    }

    @Test func theRootHelpListsVersionAndNoSubcommandHelpDoes() throws {
        let root = try Shell.run("'\(TestPaths.gwsetupBinary)' --help")
        #expect(root.output.contains("--version"), "\(root.output)")
        for subcommand in ["plan", "apply", "verify", "render", "gluon", "gluon import", "gluon export", "gluon check"] {
            let help = try Shell.run("'\(TestPaths.gwsetupBinary)' \(subcommand) --help")
            #expect(help.status == 0, "\(subcommand): \(help.output)")
            #expect(!help.output.contains("--version"), "\(subcommand) --help lists --version:\n\(help.output)")
        }
    }

    @Test func aSubcommandRefusesVersion() throws {
        let result = try Shell.run("'\(TestPaths.gwsetupBinary)' plan --offline --site '\(TestPaths.example("single-gateway.yaml"))' --version")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("error: unknown option '--version' (it belongs to gwsetup itself: 'gwsetup --version')"), "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 1, "\(result.output)")
    }

    /// packaging/build-deb.sh takes the package version from the same line, with this pattern.
    @Test func thePackageScriptReadsTheSameVersion() throws {
        let result = try Shell.run("'\(TestPaths.repository)/packaging/build-deb.sh' --print-version")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == GatewayKit.version + "\n")
    }
}
