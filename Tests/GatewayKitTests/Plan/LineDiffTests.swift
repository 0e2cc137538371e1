import Testing
@testable import GatewayKit

@Suite struct LineDiffTests {
    @Test func hunksCarryContextAndCorrectRanges() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 10\n", with: "line ten\n")
        let diff = LineDiff.unified(old: old, new: new, path: "/etc/x")
        #expect(diff == """
            --- /etc/x
            +++ /etc/x
            @@ -7,7 +7,7 @@
             line 7
             line 8
             line 9
            -line 10
            +line ten
             line 11
             line 12
             line 13
            """)
    }

    @Test func identicalTextsHaveNoDiff() {
        #expect(LineDiff.unified(old: "a\nb\n", new: "a\nb\n", path: "/x") == "")
    }

    @Test func distantChangesMakeTwoHunks() {
        let old = (1...40).map(String.init).joined(separator: "\n")
        let new = old.replacingOccurrences(of: "\n5\n", with: "\nfive\n").replacingOccurrences(of: "\n35\n", with: "\nthirty-five\n")
        #expect(LineDiff.unified(old: old, new: new, path: "/x").components(separatedBy: "@@ -").count == 3)
    }
}
