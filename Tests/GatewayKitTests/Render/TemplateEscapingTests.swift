import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// Values the site loader should refuse, put into a Site directly: each template family either writes them inertly
/// (the daemon's own validator passes and the value is only ever comment or quoted text) or refuses to render.
@Suite(.serialized) struct TemplateEscapingTests {
    static let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
    /// Each special character of the families' syntaxes, and lines that would be live directives in each of them.
    static let hostile = "Evil\n#includedir /etc/evilmark\n%sudo ALL=(ALL) NOPASSWD: ALL evilmark\r\nExecStartPre=/bin/true evilmark\n" +
        "PermitRootLogin yes evilmark\n\"q\\\" $(reboot) `id` ; # 100% \u{0}\t\u{1B}[2J evilmark\\"

    func site() throws -> Site { try SiteLoader.load(path: TestPaths.example("single-gateway.yaml")).site }

    func build(_ site: Site) throws -> DesiredState {
        try DesiredStateBuilder(site: site, renderer: Self.renderer).build(for: site.gateways[0])
    }

    /// Writes the tree and runs every file's own validator as apply would; iptables inside a throw-away namespace.
    func validateAll(_ desired: DesiredState) throws {
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try RenderTree.write(desired, to: root)
        for key in desired.fastdKeys {
            let secret = try Shell.run("fastd --generate-key --machine-readable")
            try "secret \"\(secret.output.trimmingCharacters(in: .whitespacesAndNewlines))\";\n".write(toFile: root + key.secretPath, atomically: true, encoding: .utf8)
        }
        let namespace = try ThrowawayNamespace()
        for file in desired.files {
            guard let validator = file.validator else { continue }
            let wrapped = validator.contains("tables-restore") ? "ip netns exec \(namespace.name) sh -c '\(validator.replacingOccurrences(of: "'", with: "'\\''"))'" : validator
            let result = try Shell.run(wrapped, environment: ["FILE": root + file.path, "NAME": (file.path as NSString).lastPathComponent])
            #expect(result.status == 0, "\(file.path) rejected by its validator:\n\(result.output)")
        }
    }

    /// A line that carries the marker must be a comment (or the unit's Description); nothing else may hold it.
    func expectMarkerOnlyInert(_ desired: DesiredState, marker: String = "evilmark") {
        for file in desired.files {
            for line in file.content.split(separator: "\n", omittingEmptySubsequences: false) where line.contains(marker) {
                let trimmed = line.drop(while: { $0 == " " })
                #expect(trimmed.hasPrefix("#") || trimmed.hasPrefix("Description="), "\(file.path): live line \(Echo.quoted(line, limit: 200))")
                #expect(!line.unicodeScalars.contains(where: Echo.isControl), "\(file.path): raw control character in \(Echo.quoted(line, limit: 200))")
            }
        }
    }

    @Test func aHostileSiteNameIsOnlyCommentOrDescriptionTextAndEveryValidatorPasses() throws {
        var site = try site()
        site.identity.name = Self.hostile
        let desired = try build(site)
        expectMarkerOnlyInert(desired)
        try validateAll(desired)
        let sudoers = try #require(desired.file("/etc/sudoers.d/gwsetup-admins")).content
        #expect(!sudoers.split(separator: "\n").contains { $0.hasPrefix("#include") || $0.hasPrefix("@include") || $0.hasPrefix("%") })
        #expect(sudoers.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty } == ["alice ALL=(ALL:ALL) NOPASSWD: ALL"])
        let unit = try #require(desired.file("/etc/systemd/system/gwsetup-firewall.service")).content
        #expect(unit.contains("100%% "), "systemd expands % specifiers, so a literal % must be doubled")
        #expect(!unit.split(separator: "\n").contains { $0.hasPrefix("ExecStartPre") })
    }

    @Test func aUnitValueEndingInABackslashIsRefusedSinceItWouldJoinTheNextLine() throws {
        let folder = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/systemd", withIntermediateDirectories: true)
        try "[Unit]\nDescription={{site_name}}\nAfter=local-fs.target\n"
            .write(toFile: folder + "/systemd/gwsetup-firewall.service.mustache", atomically: true, encoding: .utf8)
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates", overrideDirectory: folder))
        #expect(throws: RenderError.self) { try renderer.render("systemd/gwsetup-firewall.service", ["site_name": "x\\"]) }
        #expect(try renderer.render("systemd/gwsetup-firewall.service", ["site_name": "a\\b 50%"]) == "[Unit]\nDescription=a\\b 50%%\nAfter=local-fs.target\n")
    }

    @Test func aHostileGatewayNameIsOnlyCommentText() throws {
        var site = try site()
        site.gateways[0].name = "gw1\nPermitRootLogin yes evilmark\n[sshd]\nenabled = false evilmark\n-A INPUT -j ACCEPT evilmark"
        let desired = try build(site)
        expectMarkerOnlyInert(desired)
        try validateAll(desired)
    }

    @Test func sudoersRefusesUserNamesThatAreKeywordsGroupsOrLists() throws {
        for name in ["ALL", "%sudo", "#0", "alice,bob", "alice\nroot ALL=(ALL) ALL", "bob ALL=(ALL) NOPASSWD: ALL\nalice", "", "Alice"] {
            var site = try site()
            site.access.admins[0].name = name
            #expect(throws: RenderError.self, "admin \(Echo.quoted(name)) was rendered") { try build(site) }
        }
    }

    @Test func anAuthorizedKeyWithANewlineInItsCommentIsRefusedAndQuotesStayOneKey() throws {
        var site = try site()
        let key = site.access.admins[0].keys[0]
        site.access.admins[0].keys = [SSHPublicKey(type: key.type, base64: key.base64, comment: "laptop\ncommand=\"reboot\" \(key.type) \(key.base64) evil")]
        let error = try #require(throws: RenderError.self) { try build(site) }
        #expect(error.description.contains("authorized_keys") && !error.description.contains("\n"))

        site.access.admins[0].keys = [SSHPublicKey(type: key.type, base64: key.base64, comment: "a \"quoted\" # \\ $(reboot) comment")]
        let desired = try build(site)
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try RenderTree.write(desired, to: root)
        let listed = try Shell.run("ssh-keygen -l -f \(root)/home/alice/.ssh/authorized_keys")
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.split(separator: "\n").count == 1, "one key per admin key:\n\(listed.output)")
    }

    @Test(arguments: ["+", "eth0 -j ACCEPT", "$(reboot)", "eth0\n-A INPUT -j ACCEPT", "-eth0", "eth\"0"])
    func iptablesRefusesAnUplinkThatIsNotOneInterfaceName(_ uplink: String) throws {
        var site = try site()
        site.gateways[0].uplink = uplink
        let error = try #require(throws: RenderError.self) { try build(site) }
        #expect(error.description.contains("iptables-restore") && !error.description.contains("\n"), "\(error)")
    }

    @Test func bareAndQuotedTokensOfEveryDaemonRefuseWhatWouldSplitThem() throws {
        let cases: [(String, (inout Site) -> Void, String)] = [
            ("fastd", { $0.domains[0].interfaceName = "ffx\"; on up \"reboot" }, "fastd.conf"),
            ("fastd", { $0.domains[0].fastd.methods = ["null\";\ninclude \"/etc/shadow"] }, "fastd.conf"),
            ("networkd", { $0.domains[0].interfaceName = "ffx *" }, "fastd.conf"),
            ("dnsmasq", { $0.identity.dnsDomain = "ffx.example\ndhcp-script=/tmp/x" }, "dnsmasq.conf"),
            ("chrony", { $0.services.ntp.servers = ["pool.ntp.org iburst\nallow all"] }, "chrony.conf"),
            ("fail2ban", { $0.services.fail2ban.banTime = "%(evil)s" }, "fail2ban"),
        ]
        for (family, mutate, named) in cases {
            var site = try site()
            mutate(&site)
            let error = try #require(throws: RenderError.self, "\(family) rendered a hostile value") { try build(site) }
            #expect(error.description.contains(named) && !error.description.contains("\n"), "\(family): \(error)")
        }
    }

    @Test func unboundRefusesADNSNameThatWouldEndItsQuotedString() throws {
        let context: [String: any Sendable] = [
            "site_name": "x", "gateway": "gw1", "dns_domain": "ffx.example\" transparent\nlocal-zone: \"evil", "listen": ["10.0.0.1"],
            "allow": ["10.0.0.0/8"], "has_forwarders": false, "forwarders": [String](), "has_local_records": true,
            "local_records": [["name": "a", "type": "A", "address": "10.0.0.2"]],
        ]
        let error = try #require(throws: RenderError.self) { try Self.renderer.render("unbound/gwsetup.conf", context) }
        #expect(error.description.contains("quoted string of unbound.conf"), "\(error)")
    }

    /// A comment of iptables-restore is read with backslash escapes: the rule loads, and iptables-save shows the
    /// same text back, with no extra rule from a value that tried to start one.
    @Test func iptablesCommentsHoldQuotesBackslashesAndNewlinesAsText() throws {
        let domain = "a\"b\\c\n-A INPUT -j ACCEPT #"
        let context: [String: any Sendable] = [
            "gateway": "gw1", "site_name": "s", "uplink": "eth0", "ssh_port": 22, "ssh_sources": [["source": false] as [String: any Sendable]],
            "mesh_services": [["protocol": "udp", "name": "dns", "port": 53] as [String: any Sendable]], "openings": [[String: any Sendable]](),
            "backbone": [["domain": domain, "port": 655] as [String: any Sendable]],
            "exit_tunnel": ["interface": "gw-exit", "mss": 1380] as [String: any Sendable],
            // The fastd rule's comment names the instance (one per port), which is where the hostile text goes now.
            "domains": [["domain": domain, "bridge": "br-x", "fastd": [["port": 10000, "name": domain] as [String: any Sendable]],
                         "prefix4": "10.1.0.0/16", "prefix6": "fd00::/64", "mss": 1240, "ula": true, "wireguard": false,
                         "exit": ["interface": "gw-exit"] as [String: any Sendable], "uplink_forward": false, "uplink_fallback": true] as [String: any Sendable]],
        ]
        let rules = try Self.renderer.render("iptables/rules.v4", context)
        let namespace = try ThrowawayNamespace()
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try rules.write(toFile: root + "/rules.v4", atomically: true, encoding: .utf8)
        let loaded = try Shell.run("ip netns exec \(namespace.name) iptables-restore \(root)/rules.v4 && ip netns exec \(namespace.name) iptables-save")
        try #require(loaded.status == 0, "\(loaded.output)")
        #expect(loaded.output.contains(#"--comment "fastd a\"b\\c\\n-A INPUT -j ACCEPT #""#), "\(loaded.output)")
        #expect(loaded.output.contains(#"-A gw-wan-in -p udp -m udp --dport 655 -m comment --comment "tinc a\"b\\c\\n-A INPUT -j ACCEPT #" -j ACCEPT"#), "\(loaded.output)")
        // A domain the exit carries names itself in the comments of its exit and fallback rules.
        #expect(loaded.output.contains(#"-A FORWARD -s 10.1.0.0/16 -i br-x -o gw-exit -m comment --comment "clients of a\"b\\c\\n-A INPUT -j ACCEPT # to the exit" -j ACCEPT"#),
                "\(loaded.output)")
        #expect(loaded.output.contains(#"--comment "NAT clients of a\"b\\c\\n-A INPUT -j ACCEPT # out the uplink while the exit is down" -j MASQUERADE"#), "\(loaded.output)")
        #expect(loaded.output.split(separator: "\n").filter { $0 == "-A INPUT -j ACCEPT" }.isEmpty)
        #expect(loaded.output.split(separator: "\n").filter { $0.hasPrefix("-A INPUT") }.count == rules.split(separator: "\n").filter { $0.hasPrefix("-A INPUT") }.count)
        var long = context
        long["domains"] = [["domain": String(repeating: "x", count: 300), "bridge": "br-x", "fastd": [["port": 1, "name": "x"] as [String: any Sendable]], "prefix4": false, "prefix6": "fd00::/64", "mss": 1240, "ula": true, "wireguard": false, "exit": false, "uplink_forward": true, "uplink_fallback": false] as [String: any Sendable]]
        #expect(throws: RenderError.self) { try Self.renderer.render("iptables/rules.v4", long) }
    }

    /// In a shell script a value is written inside its quotes: running the script prints it back literally.
    @Test func shellQuotedValuesRunAsText() throws {
        let folder = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/firewall", withIntermediateDirectories: true)
        try "#!/bin/sh\n# {{site_name}}\nprintf '%s\\n' '{{site_name}}' \"{{site_name}}\"\n"
            .write(toFile: folder + "/firewall/gwsetup-firewall.sh.mustache", atomically: true, encoding: .utf8)
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates", overrideDirectory: folder))
        let value = "it's \"$(touch \(folder)/pwned)\" `touch \(folder)/pwned2` \\ ${HOME} ; # 100%"
        let script = try renderer.render("firewall/gwsetup-firewall.sh", ["site_name": value])
        try script.write(toFile: folder + "/script.sh", atomically: true, encoding: .utf8)
        #expect(try Shell.run("sh -n \(folder)/script.sh").status == 0)
        let ran = try Shell.run("sh \(folder)/script.sh")
        #expect(ran.output == value + "\n" + value + "\n", "\(ran.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/pwned") && !FileManager.default.fileExists(atPath: folder + "/pwned2"))
    }

    @Test func anUnescapedTagInAnOverrideIsRefused() throws {
        let folder = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/sudo", withIntermediateDirectories: true)
        try "# {{{site_name}}}\n".write(toFile: folder + "/sudo/gwsetup-admins.mustache", atomically: true, encoding: .utf8)
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates", overrideDirectory: folder))
        let error = try #require(throws: RenderError.self) { try renderer.render("sudo/gwsetup-admins", ["site_name": "x", "admins": ["a"]]) }
        #expect(error.description.contains("gwsetup-admins.mustache:1: '{{{site_name}}}' writes a value unescaped"), "\(error)")
    }

    /// The SSH sources became a section instead of a prepared `-s … ` fragment; the rules read exactly as before.
    @Test func sshSourcesStillRenderAsMatchesAndTheWholeWorldAsNone() throws {
        var site = try site()
        site.access.sshAllowedSources = [.v4(try #require(IPv4Network("192.0.2.0/24"))), .v4(try #require(IPv4Network("0.0.0.0/0"))),
                                         .v6(try #require(IPv6Network("2001:db8::/32")))]
        let desired = try build(site)
        let v4 = try #require(desired.file(DesiredState.firewallRulesPath(.ipv4))).content.split(separator: "\n").filter { $0.contains("\"ssh\"") }
        #expect(v4 == [#"-A gw-wan-in -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -m comment --comment "ssh" -j ACCEPT"#,
                       #"-A gw-wan-in -p tcp -m tcp --dport 22 -m comment --comment "ssh" -j ACCEPT"#])
        let v6 = try #require(desired.file(DesiredState.firewallRulesPath(.ipv6))).content.split(separator: "\n").filter { $0.contains("\"ssh\"") }
        #expect(v6 == [#"-A gw-wan-in -s 2001:db8::/32 -p tcp -m tcp --dport 22 -m comment --comment "ssh" -j ACCEPT"#])
        let sysctl = try #require(desired.file("/etc/sysctl.d/90-gwsetup.conf")).content
        #expect(sysctl.contains("\n-net.bridge.bridge-nf-call-iptables = 0\n") && sysctl.contains("\nnet.ipv4.ip_forward = 1\n"))
    }
}
