import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The Debian package as an admin gets it: built by packaging/build-deb.sh, clean for lintian, and installed with
/// `apt-get install ./gwsetup_*.deb` into a fresh Debian 12 droplet (a throwaway snapshot of the bare gateway image),
/// where gwsetup then works without the repository: version, offline plan, man page, bash completion.
@Suite(.serialized, .timeLimit(.minutes(60)))
struct DebianPackageEndToEndTests {
    @Test("lintian --fail-on error,warning passes on the package, which holds a binary without the toolchain's Swift runtime")
    func lintianPasses() async throws {
        let package = try await DebianPackageBuild.built()
        let lintian = try await ProcessRunner.run(
            executable: "/usr/bin/lintian", arguments: ["--fail-on", "error,warning", "--display-info", package.path],
            stdin: Data(), timeout: .seconds(900))
        let report = String(decoding: lintian.stdout, as: UTF8.self) + String(decoding: lintian.stderr, as: UTF8.self)
        FileHandle.standardError.write(Data("lintian (exit \(lintian.status)):\n\(report)\n".utf8))
        #expect(lintian.status == 0, "lintian:\n\(report)")

        let listing = try await ProcessRunner.run(executable: "/usr/bin/dpkg-deb", arguments: ["--contents", package.path],
                                                  stdin: Data(), timeout: .seconds(60))
        let contents = String(decoding: listing.stdout, as: UTF8.self)
        for path in ["./usr/bin/gwsetup", "./usr/share/gwsetup/Templates/fastd/fastd.conf.mustache",
                     "./usr/share/doc/gwsetup/examples/single-gateway.yaml", "./usr/share/doc/gwsetup/copyright",
                     "./usr/share/doc/gwsetup/changelog.gz", "./usr/share/man/man1/gwsetup.1.gz",
                     "./usr/share/man/man1/gwsetup.plan.1.gz", "./usr/share/man/man1/gwsetup.gluon.import.1.gz",
                     "./usr/share/bash-completion/completions/gwsetup", "./usr/share/zsh/vendor-completions/_gwsetup",
                     "./usr/share/fish/vendor_completions.d/gwsetup.fish"] {
            #expect(contents.contains(" \(path)\n"), "\(path) is not in the package:\n\(contents)")
        }
        let name = URL(fileURLWithPath: package.path).lastPathComponent
        #expect(name == "gwsetup_\(GatewayKit.version)_amd64.deb")
    }

    @Test("apt-get install ./gwsetup_*.deb on a fresh droplet gives a gwsetup that plans the shipped example offline, prints its version, has man pages and completes its subcommands in bash")
    func installsOnAFreshDroplet() async throws {
        let package = try await DebianPackageBuild.built()
        let packageName = URL(fileURLWithPath: package.path).lastPathComponent
        try await withVM(.gateway(name: "deb-install")) { vm in
            try await vm.copy(file: package.path, to: "/root/\(packageName)")
            // The guest's apt source is the one the first apply uses; man-db and bash-completion come from it too.
            let install = try await vm.ssh(
                "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -q ./\(packageName) "
                + "&& apt-get install -y -q --no-install-recommends man-db bash-completion", timeout: .seconds(1500))
            try #require(install.succeeded, "apt-get install:\n\(install.stdoutText)\n\(install.stderrText)")
            #expect(try await vm.run("test ! -e /opt/swift && echo no-toolchain") == "no-toolchain\n")

            #expect(try await vm.run("gwsetup --version") == GatewayKit.version + "\n")
            let linked = try await vm.run("ldd /usr/bin/gwsetup")
            #expect(!linked.contains("libswift") && !linked.contains("not found"), "ldd /usr/bin/gwsetup:\n\(linked)")

            let plan = try await vm.ssh("cd /tmp && env -u GWSETUP_TEMPLATES gwsetup plan --offline --site /usr/share/doc/gwsetup/examples/single-gateway.yaml")
            #expect(plan.succeeded, "plan: \(plan.stdoutText)\n\(plan.stderrText)")
            #expect(plan.stdoutText.contains("+ file      /etc/fastd/ffx/fastd.conf") && plan.stdoutText.contains("Plan: "), "\(plan.stdoutText)")

            let manual = try await vm.run("MANWIDTH=100 man -P cat gwsetup.plan 2>&1")
            #expect(manual.contains("gwsetup plan") && manual.contains("--offline"), "man gwsetup.plan:\n\(manual)")
            #expect(try await vm.ssh("man -w gwsetup.gluon.import").succeeded)

            let completion = try await vm.run(Self.completeAfter("gwsetup "))
            #expect(Set(completion.split(separator: "\n")).isSuperset(of: ["plan", "apply", "verify", "render", "gluon"]),
                    "bash completes 'gwsetup ' with:\n\(completion)")
            let gluon = try await vm.run(Self.completeAfter("gwsetup gluon "))
            #expect(Set(gluon.split(separator: "\n")).isSuperset(of: ["import", "export", "check"]), "bash completes 'gwsetup gluon ' with:\n\(gluon)")

            let removed = try await vm.ssh("apt-get remove -y -q gwsetup >/dev/null && ! test -e /usr/bin/gwsetup && ! test -e /usr/share/gwsetup")
            #expect(removed.succeeded, "apt-get remove: \(removed.stderrText)")
        }
    }

    /// A bash script that loads the completion as an interactive bash would (bash-completion's loader finds the file
    /// by the command's name) and prints what pressing Tab after `line` offers, one word a line.
    static func completeAfter(_ line: String) -> String {
        let words = line.split(separator: " ").map(String.init) + (line.hasSuffix(" ") ? [""] : [])
        let array = words.map { ShellQuote.quote($0) }.joined(separator: " ")
        let script = """
            . /usr/share/bash-completion/bash_completion
            _completion_loader gwsetup
            function=$(complete -p gwsetup | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')
            COMP_WORDS=(\(array)); COMP_CWORD=\(words.count - 1); COMP_LINE=\(ShellQuote.quote(line)); COMP_POINT=\(line.utf8.count)
            "$function" gwsetup \(ShellQuote.quote(words.last ?? "")) \(ShellQuote.quote(words.count > 1 ? words[words.count - 2] : "gwsetup"))
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        return "bash -c \(ShellQuote.quote(script))"
    }
}
