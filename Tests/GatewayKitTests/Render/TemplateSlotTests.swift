import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The renderer reads each template with its file's lexical rules; a tag in the wrong place would get the wrong escaping.
@Suite struct TemplateSlotTests {
    func places(_ name: String) throws -> [String: Set<String>] {
        let path = TestPaths.repository + "/Templates/\(name).mustache"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let syntax = try #require(FileSyntax(templateName: name))
        var result: [String: Set<String>] = [:]
        for slot in try TemplateSlot.scan(text, syntax: syntax, path: path) {
            let place = switch slot.place {
            case .comment: "comment"
            case .quoted(let quote): "quoted\(quote)"
            case .bare: "bare"
            }
            result[slot.name == "." ? "." + (slot.sections.last ?? "") : slot.name, default: []].insert(place)
        }
        return result
    }

    @Test func everyBundledTemplateHasASyntaxAndItsTagsTheirPlaces() throws {
        #expect(try places("sudo/gwsetup-admins") == ["site_name": ["comment"], ".admins": ["bare"]])
        #expect(try places("ssh/authorized_keys") == ["admin": ["comment"], ".keys": ["bare"]])
        let fastd = try places("fastd/fastd.conf")
        // The status socket is named by instance (`ffx`, `ffx.2`) now, so the domain code is left in the comment only.
        #expect(fastd["site_name"] == ["comment"] && fastd["domain"] == ["comment"] && fastd["instance"] == ["quoted\""])
        #expect(fastd["batman_interface"] == ["quoted\""], "the on-up commands are inside a multi-line fastd string")
        #expect(fastd[".methods"] == ["quoted\""] && fastd["port"] == ["bare"])
        let rules = try places("iptables/rules.v4")
        #expect(rules["name"] == ["quoted\""] && rules["domain"] == ["quoted\""] && rules["uplink"] == ["bare"] && rules["site_name"] == ["comment"])
        #expect(try places("systemd/gwsetup-firewall.service") == ["site_name": ["bare"]])
        #expect(try places("firewall/gwsetup-firewall.sh") == ["site_name": ["comment"]])
        let unbound = try places("unbound/gwsetup.conf")
        #expect(unbound["dns_domain"] == ["quoted\""] && unbound["name"] == ["quoted\""] && unbound[".listen"] == ["bare"])
        let templates = try FileManager.default.subpathsOfDirectory(atPath: TestPaths.repository + "/Templates").filter { $0.hasSuffix(".mustache") }
        #expect(templates.count >= 19)
        for template in templates {
            #expect(FileSyntax(templateName: String(template.dropLast(".mustache".count))) != nil, "\(template) has no file syntax")
        }
    }

    @Test func shellQuotesAndCommentsAreToldApart() throws {
        let text = "# {{a}}\necho '{{b}}' \"{{c}}\" {{d}} # {{e}}\necho \"it's {{f}}\" x#{{g}}\n"
        let slots = try TemplateSlot.scan(text, syntax: .shell, path: "t")
        #expect(slots.map(\.place) == [.comment, .quoted("'"), .quoted("\""), .bare, .comment, .quoted("\""), .bare])
        #expect(slots.map(\.line) == [1, 2, 2, 2, 2, 3, 3])
    }

    @Test func changedDelimitersAreRefusedSinceTheirTagsWouldEscapeNothing() {
        #expect(throws: RenderError.self) { try TemplateSlot.scan("{{=<% %>=}}\n# <%site_name%>\n", syntax: .sudoers, path: "t") }
    }
}
