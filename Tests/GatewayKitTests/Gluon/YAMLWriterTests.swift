import Testing
import Yams
@testable import GatewayKit

/// The hand-written emitter's scalars must read back as the same string, or an import silently changes values.
@Suite struct YAMLWriterTests {
    @Test(arguments: ["null", "Null", "~", "", "yes", "no", "on", "true", "1312", "0x1f", "1e3", ".inf", "-", "-x", "@x", "#x", "a: b", "a #b",
                      "fd00::1", "10.99.0.0/16", "salsa2012+umac", "null@l2tp", "Freifunk Zweistadt", "it's", "say \"hi\"", "back\\slash",
                      "tab\there", "line\nbreak", "Ünïcode ✓", "[list]", "{map}", "*alias", "&anchor", "!tag", "%directive", "'quoted'"])
    func scalarsReadBackUnchanged(text: String) throws {
        let node = try #require(try Yams.compose(yaml: "key: " + YAMLWriter.scalar(text) + "  # comment\n"))
        #expect(node.mapping?["key"]?.string == text)
        if YAMLWriter.scalar(text).first != "\"", let value = node.mapping?["key"] {
            // Plain scalars must also not be read as null, booleans or numbers by YAML's resolvers.
            #expect(value.null == nil && value.bool == nil && value.int == nil && value.float == nil, "\(text) is resolved as a non-string")
        }
    }

    @Test func plainWhereSafeSoTheFileReadsLikeAHandWrittenOne() {
        #expect(YAMLWriter.scalar("salsa2012+umac") == "salsa2012+umac")
        #expect(YAMLWriter.scalar("10.99.0.0/16") == "10.99.0.0/16")
        #expect(YAMLWriter.scalar("null") == "\"null\"")
        #expect(YAMLWriter.scalar("fd00::1") == "\"fd00::1\"")
        #expect(YAMLWriter.flowList(["a", "null"]) == "[a, \"null\"]")
    }

    @Test func linesAreCountedSoNotesCanPointIntoTheFile() {
        var writer = YAMLWriter()
        writer.comment("header")
        writer.line(0, "site")
        writer.line(2, "code", "ffx", comment: "why")
        #expect(writer.nextLine == 4)
        #expect(writer.text == "# header\nsite:\n  code: ffx  # why\n")
    }
}
