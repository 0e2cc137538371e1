import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit

@Suite("LuaTableParser: the literal Lua subset of site.conf")
struct LuaTableParserTests {
    private func parse(_ source: String) throws -> LuaTable {
        try LuaTableParser.parse(source, file: "site.conf").table
    }

    /// The error a source produces, so tests can assert its exact position and wording.
    private func error(_ source: String) -> GluonParseError? {
        do {
            _ = try LuaTableParser.parse(source, file: "site.conf")
            return nil
        } catch {
            return error
        }
    }

    @Test func keyFormsAndPositionalValuesAreAllRead() throws {
        let table = try parse("""
            { site_code = 'ffx', ['site-name'] = 'X', ["quoted"] = 1, [7] = 'seven', 'first'; 'second', }
            """)
        #expect(table["site_code"] == .string("ffx"))
        #expect(table["site-name"] == .string("X"))
        #expect(table["quoted"] == .integer(1))
        #expect(table[7] == .string("seven"))
        #expect(table.array == [.string("first"), .string("second")])
        #expect(table[1] == .string("first"))
        #expect(table.entries.map(\.key) == ["site_code", "site-name", "quoted", 7])
    }

    @Test func separatorsMayBeCommasOrSemicolonsAndTrailingOnesAreAllowed() throws {
        #expect(try parse("{ a = 1; b = 2, c = 3; }") == LuaTable(entries: [("a", .integer(1)), ("b", .integer(2)), ("c", .integer(3))]))
        #expect(try parse("{ a = 1 }") == LuaTable(entries: [("a", .integer(1))]))
        #expect(try parse("{}").isEmpty)
    }

    @Test func laterDuplicateKeyWinsButKeepsItsFirstPlace() throws {
        let table = try parse("{ mtu = 1280, methods = {}, mtu = 1312 }")
        #expect(table["mtu"] == .integer(1312))
        #expect(table.entries.map(\.key) == ["mtu", "methods"])
        #expect(table.location(forKey: "mtu") == SourceLocation(file: "site.conf", line: 1, column: 29))
    }

    @Test func quotedStringEscapesFollowLua() throws {
        let table = try parse(#"""
            { a = 'it\'s', b = "say \"hi\"", c = 'tab\tnew\nline\\', d = '\65\066\0671', e = '\x41\x7a',
              f = 'a\z
                   b', g = '\u{48}\u{e4}\u{1F600}', h = 'line\
            two', i = '\a\b\f\v\r' }
            """#)
        #expect(table["a"] == .string("it's"))
        #expect(table["b"] == .string("say \"hi\""))
        #expect(table["c"] == .string("tab\tnew\nline\\"))
        #expect(table["d"] == .string("ABC1"))
        #expect(table["e"] == .string("Az"))
        #expect(table["f"] == .string("ab"))
        #expect(table["g"] == .string("Hä😀"))
        #expect(table["h"] == .string("line\ntwo"))
        #expect(table["i"] == .string("\u{07}\u{08}\u{0C}\u{0B}\r"))
    }

    @Test func longBracketsDropTheFirstNewlineAndKeepEverythingElse() throws {
        let table = try parse("""
            { msg = [[
            <p>Hallo "Knoten" 'x' <%=pubkey%></p>
            ]], level = [==[a]]b]=]c]==], inline = [[no newline]] }
            """)
        #expect(table["msg"] == .string("<p>Hallo \"Knoten\" 'x' <%=pubkey%></p>\n"))
        #expect(table["level"] == .string("a]]b]=]c"))
        #expect(table["inline"] == .string("no newline"))
    }

    @Test func commentsOfEveryKindAreSkipped() throws {
        let table = try parse("""
            --[[ header
            { not a table ]]
            { -- line comment
              a = 1,-- glued to the comma
              --[==[ block with ]] inside ]==]
              b = { --[[ inline ]] 'x' },
              --[[ 'commented', -- with dashes ]]
              c = 'ü', -- Umlaut in a comment: äöü
            }
            -- vim: noet ts=4
            """)
        #expect(table == LuaTable(entries: [
            ("a", .integer(1)), ("b", .table(LuaTable(array: [.string("x")]))), ("c", .string("ü")),
        ]))
    }

    @Test func numbersKeepIntegerAndFloatApart() throws {
        let table = try parse("""
            { a = 1312, b = 0.08, c = 5e3, d = 2.5E-2, e = 0x10, f = 0XfF, g = -7, h = -0.5, i = 3., j = .5,
              k = 0x1p4, l = 0xA.8, m = 9223372036854775808, n = 0xffffffffffffffff, o = 1e999, p = 1.0 }
            """)
        #expect(table["a"] == .integer(1312))
        #expect(table["b"] == .float(0.08))
        #expect(table["c"] == .float(5000))
        #expect(table["d"] == .float(0.025))
        #expect(table["e"] == .integer(16))
        #expect(table["f"] == .integer(255))
        #expect(table["g"] == .integer(-7))
        #expect(table["h"] == .float(-0.5))
        #expect(table["i"] == .float(3))
        #expect(table["j"] == .float(0.5))
        #expect(table["k"] == .float(16))
        #expect(table["l"] == .float(10.5))
        #expect(table["m"] == .float(9223372036854775808.0), "decimal integers beyond Int64 become floats, as in Lua 5.3")
        #expect(table["n"] == .integer(-1), "hexadecimal integers wrap around, as in Lua 5.3")
        #expect(table["o"] == .float(.infinity))
        #expect(table["p"] != .integer(1))
    }

    @Test func booleansAndNil() throws {
        let table = try parse("{ on = true, off = false, gone = nil, nil, 'two' }")
        #expect(table["on"] == .boolean(true))
        #expect(table["off"] == .boolean(false))
        #expect(table["gone"] == nil, "a key set to nil is absent, as in Lua")
        #expect(table[1] == nil)
        #expect(table[2] == .string("two"))
        #expect(table.array == [.nil, .string("two")])
    }

    @Test func strayBareNameIsAPositionalNilWithAWarning() throws {
        let document = try LuaTableParser.parse("""
            { simple_tc = {
                limit_ingress = 3000,g
            } }
            """, file: "ffmuc.conf")
        let inner = try #require(document.table.value(at: ["simple_tc"])?.tableValue)
        #expect(inner["limit_ingress"] == .integer(3000))
        #expect(inner.array == [.nil])
        #expect(document.warnings.count == 1)
        #expect(document.warnings.first?.location == SourceLocation(file: "ffmuc.conf", line: 2, column: 26))
        #expect(document.warnings.first?.description.hasPrefix("ffmuc.conf:2:26: warning: stray name 'g'") == true)
    }

    @Test func pathLookupsFollowNestedTables() throws {
        let table = try parse("""
            {
              mesh_vpn = { fastd = { mtu = 1312, methods = { 'null', 'salsa2012+umac' } } },
            }
            """)
        #expect(table.value(at: ["mesh_vpn", "fastd", "mtu"]) == .integer(1312))
        #expect(table.value(atDottedPath: "mesh_vpn.fastd.mtu") == .integer(1312))
        #expect(table.value(at: ["mesh_vpn", "fastd", "methods", 2]) == .string("salsa2012+umac"))
        #expect(table.value(at: ["mesh_vpn", "wireguard", "mtu"]) == nil)
        #expect(table.value(at: ["mesh_vpn", "fastd", "mtu", "deeper"]) == nil)
        #expect(table.location(at: ["mesh_vpn", "fastd", "mtu"]) == SourceLocation(file: "site.conf", line: 2, column: 26))
        #expect(table.value(at: ["mesh_vpn", "fastd", "methods"])?.tableValue?.stringArray == ["null", "salsa2012+umac"])
    }

    @Test func bracketKeysMayBeNegativeOrIntegralFloats() throws {
        let table = try parse("{ [-1] = 'minus', [2.0] = 'two', [0x10] = 'hex' }")
        #expect(table[-1] == .string("minus"))
        #expect(table[2] == .string("two"))
        #expect(table[16] == .string("hex"))
    }

    @Test func utf8TextSurvivesAndColumnsCountCharacters() throws {
        let table = try parse("{ site_name = 'Freifunk München', hostname_prefix = 'Ärger ' }")
        #expect(table["site_name"] == .string("Freifunk München"))
        #expect(table["hostname_prefix"] == .string("Ärger "))
        let failure = try #require(error("{ a = 'ü', b = 'ö' .. 'x' }"))
        #expect(failure.column == 20, "columns count characters, not bytes")
    }

    @Test func positionalValuesWinOverExplicitIndexKeys() throws {
        let table = try parse("{ [1] = 'keyed', 'positional' }")
        #expect(table[1] == .string("positional"))
        #expect(table.luaEntries.count == 1)
    }

    // MARK: - Errors point at the exact line and column

    @Test func unterminatedStringPointsAtItsOpeningQuote() throws {
        let failure = try #require(error("{\n  site_name = 'Freifunk,\n  site_code = 'x',\n}"))
        #expect(failure.description == "site.conf:2:15: unterminated string: missing closing ' on this line")
    }

    @Test func concatenationIsRejectedAtTheOperator() throws {
        let failure = try #require(error("{\n  site_code = 'ff' .. 'x',\n}"))
        #expect(failure.line == 2)
        #expect(failure.column == 20)
        #expect(failure.message.contains("string concatenation ('..') is not allowed"))
    }

    @Test func functionCallIsRejectedAtTheName() throws {
        let failure = try #require(error("{\n\tprefix4 = '10.0.0.0/8',\n\tseed = os.getenv('SEED'),\n}"))
        #expect(failure.description == "site.conf:3:9: variable access 'os.…' is not allowed; site.conf must contain literal values only")
        let call = try #require(error("{\n  x = tostring(5),\n}"))
        #expect(call.description == "site.conf:2:7: function call 'tostring(…)' is not allowed; site.conf must contain literal values only")
        let stringCall = try #require(error("{ require 'x' }"))
        #expect(stringCall.line == 1 && stringCall.column == 3)
        #expect(stringCall.message.hasPrefix("function call 'require(…)'"))
    }

    @Test func missingClosingBraceIsReportedAtTheEndWithTheOpeningPosition() throws {
        let failure = try #require(error("{\n  a = {\n    b = 1,\n  },\n"))
        #expect(failure.description == "site.conf:5:1: missing '}' to close the table opened at line 1, column 1")
        let inner = try #require(error("{ a = { b = 1 "))
        #expect(inner.description == "site.conf:1:15: missing '}' to close the table opened at line 1, column 7")
    }

    @Test func malformedNumbersAreRejectedAtTheirStart() throws {
        #expect(error("{\n  mtu = 13x2,\n}")?.description == "site.conf:2:9: malformed number '13x2'")
        #expect(error("{ a = 1.2.3 }")?.description == "site.conf:1:7: malformed number '1.2.3'")
        #expect(error("{ a = 0x }")?.description == "site.conf:1:7: malformed number '0x'")
        #expect(error("{ a = 1e+ }")?.description == "site.conf:1:7: malformed number '1e+'")
    }

    /// Gluon evaluates `enabled = True` to nil and builds, so the key is absent and the admin is told where and why (issue 27.3).
    @Test func aBareNameAsAFieldValueIsAnAbsentKeyWithAWarningAtItsPosition() throws {
        let document = try LuaTableParser.parse("{\n  autoupdater = { enabled = True, branch = 'stable' },\n  [\"x\"] = y;\n}", file: "site.conf")
        let autoupdater = try #require(document.table["autoupdater"]?.tableValue)
        #expect(autoupdater["enabled"] == nil)
        #expect(autoupdater["branch"] == .string("stable"))
        #expect(document.table["x"] == nil)
        #expect(document.warnings.map(\.description) == [
            "site.conf:2:29: warning: enabled = True: 'True' is an undefined Lua variable, so Gluon reads nil and builds as if enabled were not set (did you mean true?)",
            "site.conf:3:11: warning: x = y: 'y' is an undefined Lua variable, so Gluon reads nil and builds as if x were not set (write 'y' in quotes if it is meant as a string)",
        ])
    }

    @Test func otherNonLiteralsAreRejectedWithWhatAndWhere() throws {
        #expect(error("{ a = 1 + 2 }")?.description == "site.conf:1:9: arithmetic ('+') is not allowed; site.conf must contain literal values only")
        #expect(error("{ a = b + 1 }")?.description == "site.conf:1:7: variable 'b' is not allowed as a value; write 'b' in quotes if it is meant as a string")
        #expect(error("{ a = b.c }")?.description == "site.conf:1:7: variable access 'b.…' is not allowed; site.conf must contain literal values only")
        #expect(error("{ a = b(1) }")?.message.hasPrefix("function call 'b(…)'") == true)
        #expect(error("{ a = function() end }")?.line == 1)
        #expect(error("{ a = -b }")?.column == 7)
        #expect(error("{ a = 'x' 'y' }")?.message.hasPrefix("function calls are not allowed") == true)
        #expect(error("{ a = 1 == 1 }")?.message.hasPrefix("comparisons ('==')") == true)
        #expect(error("{ a = true and false }")?.message.hasPrefix("boolean operators ('and')") == true)
        #expect(error("{ a = 1 } x")?.description == "site.conf:1:11: unexpected 'x' after the closing '}' of the configuration table")
        #expect(error("return { a = 1 }")?.description == "site.conf:1:1: expected '{' to start the configuration table, found 'return'")
        #expect(error("{ a = 'x\\q' }")?.description == "site.conf:1:9: invalid escape sequence '\\q' in string")
        #expect(error("{ a = '\\300' }")?.column == 8)
        #expect(error("{ [true] = 1 }")?.column == 4)
        #expect(error("{ [1.5] = 1 }")?.message.contains("not an integer") == true)
        #expect(error("{ end = 1 }")?.description == "site.conf:1:3: expected a value, found 'end'")
        #expect(error("{ a = 1 € }")?.description == "site.conf:1:9: unexpected character '€'")
    }

    @Test func unterminatedLongStringsAndCommentsPointAtTheirStart() throws {
        #expect(error("{\n  a = [==[ text ]] \n}")?.description == "site.conf:2:7: unterminated long string: no closing ']==]' before the end of the file")
        #expect(error("{ a = 1, --[[ never closed\n}")?.description == "site.conf:1:10: unterminated block comment: no closing ']]' before the end of the file")
    }

    @Test func windowsLineEndingsCountAsOneLine() throws {
        let failure = try #require(error("{\r\n  a = 1,\r\n  b = 'open\r\n}"))
        #expect(failure.line == 3)
        #expect(failure.column == 7)
        #expect(try parse("{ a = [[\r\nx\r\ny]] }")["a"] == .string("x\ny"))
    }
}
