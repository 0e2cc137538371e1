import GatewayKit
import Testing
@testable import GatewayBase

struct EchoTests {
    @Test func controlCharactersAreShownEscapedOnOneLine() {
        #expect(Echo.quoted("a\nb\tc\u{1B}[31m\r\0") == "'a\\nb\\tc\\u{1B}[31m\\r\\0'")
        #expect(!Echo.line("x\ny").contains("\n"))
    }

    @Test func lineSeparatorsAndBidiMarksAreEscapedToo() {
        #expect(Echo.quoted("a\u{2028}b\u{2029}c\u{200E}d\u{202E}e") == "'a\\u{2028}b\\u{2029}c\\u{200E}d\\u{202E}e'")
    }

    @Test func longValuesAreCutWithTheirLength() {
        let value = String(repeating: "x", count: 1_000_000)
        let shown = Echo.quoted(value)
        #expect(shown.count < 100)
        #expect(shown.hasSuffix("… (1000000 bytes)'"))
    }

    @Test func ordinaryValuesAreUnchanged() {
        #expect(Echo.quoted("Freifunk Münster") == "'Freifunk Münster'")
    }
}
