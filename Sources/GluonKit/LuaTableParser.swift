import Foundation
import GatewayBase

/// Reads the literal subset of Lua that Gluon's site.conf and domains/*.conf use, and rejects anything that would need evaluation.
///
/// Gluon runs `return <file>` in an empty environment, so a stray bare name used as a positional
/// value (`limit_ingress = 3000,g` in a real file) is a nil global there. We accept exactly that case
/// as a positional nil, and a bare name as a field's whole value (`enabled = True`) as an absent key,
/// each with a warning; a bare name anywhere else (a call, an index, an operand) is an error.
public struct LuaTableParser {
    /// Deeper nesting than this is certainly not a site.conf and would only risk the stack.
    static let maximumDepth = 200

    private var lexer: LuaLexer
    private var lookahead: LuaToken?
    private var warnings: [Diagnostic] = []
    private let file: String

    private init(source: String, file: String) {
        self.lexer = LuaLexer(source: source, file: file)
        self.file = file
    }

    /// Parses one table expression (with comments around it); `file` is the name used in error locations.
    public static func parse(_ source: String, file: String) throws(GluonParseError) -> LuaDocument {
        var parser = LuaTableParser(source: source, file: file)
        return try parser.parseDocument()
    }

    /// Reads and parses a file named in errors by `url.relativePath`; throws `GluonSiteError` if it cannot be read, `GluonParseError` for syntax.
    public static func parse(contentsOf url: URL) throws -> LuaDocument {
        let name = url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "does not exist"
            throw GluonSiteError(file: name, message: "file \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GluonParseError(file: name, line: 1, column: 1, message: "file is not valid UTF-8")
        }
        return try parse(text, file: name)
    }

    private mutating func peek() throws(GluonParseError) -> LuaToken {
        if let lookahead { return lookahead }
        let token = try lexer.next()
        lookahead = token
        return token
    }

    private mutating func advance() throws(GluonParseError) -> LuaToken {
        let token = try peek()
        lookahead = nil
        return token
    }

    private mutating func parseDocument() throws(GluonParseError) -> LuaDocument {
        let open = try advance()
        guard open.isSymbol("{") else {
            throw GluonParseError(at: open.location, "expected '{' to start the configuration table, found \(open.quoted)")
        }
        let table = try parseTable(openedAt: open.location, depth: 1)
        if try peek().isSymbol(";") { _ = try advance() }
        let trailing = try advance()
        guard trailing.kind == .endOfFile else {
            throw GluonParseError(at: trailing.location, "unexpected \(trailing.quoted) after the closing '}' of the configuration table")
        }
        return LuaDocument(file: file, table: table, warnings: warnings)
    }

    /// Parses entries after an opening `{` up to and including the matching `}`.
    private mutating func parseTable(openedAt open: SourceLocation, depth: Int) throws(GluonParseError) -> LuaTable {
        guard depth <= Self.maximumDepth else {
            throw GluonParseError(at: open, "tables are nested more than \(Self.maximumDepth) levels deep")
        }
        var table = LuaTable()
        while true {
            let token = try peek()
            if token.isSymbol("}") {
                _ = try advance()
                return table
            }
            if token.kind == .endOfFile {
                throw GluonParseError(at: token.location, "missing '}' to close the table opened at line \(open.line), column \(open.column)")
            }
            try parseEntry(into: &table, depth: depth)
            let separator = try peek()
            if separator.isSymbol(",") || separator.isSymbol(";") {
                _ = try advance()
            } else if !separator.isSymbol("}") {
                if separator.kind == .endOfFile {
                    throw GluonParseError(at: separator.location, "missing '}' to close the table opened at line \(open.line), column \(open.column)")
                }
                throw notALiteral(after: separator)
            }
        }
    }

    private mutating func parseEntry(into table: inout LuaTable, depth: Int) throws(GluonParseError) {
        let token = try advance()
        switch token.kind {
        case .symbol("["):
            let key = try parseBracketKey(openedAt: token.location)
            try expectEquals(afterKeyAt: token.location)
            if let value = try parseFieldValue(key: key, depth: depth) {
                table.set(value, forKey: key, location: token.location)
            }
        case .name(let name):
            let next = try peek()
            if next.isSymbol("=") {
                _ = try advance()
                if let value = try parseFieldValue(key: .string(name), depth: depth) {
                    table.set(value, forKey: .string(name), location: token.location)
                }
            } else if next.isSymbol(",") || next.isSymbol(";") || next.isSymbol("}") {
                warnings.append(Diagnostic.warning(
                    location: token.location,
                    message: "stray name '\(name)' in a table is an undefined Lua variable; read as a positional nil (did you mean '\(name)' in quotes, or is it a typo?)"
                ))
                table.append(.nil, location: token.location)
            } else {
                throw nameUsedAsValue(name, at: token.location, next: next)
            }
        default:
            let value = try parseValue(startingWith: token, depth: depth)
            table.append(value, location: token.location)
        }
    }

    private mutating func parseBracketKey(openedAt open: SourceLocation) throws(GluonParseError) -> LuaKey {
        let token = try advance()
        let key: LuaKey
        switch token.kind {
        case .string(let text):
            key = .string(text)
        case .number, .symbol("-"):
            let number = try parseValue(startingWith: token, depth: 0)
            guard let integer = number.integerValue else {
                throw GluonParseError(at: token.location, "table key \(number) is not an integer; only string and integer keys are supported")
            }
            key = .integer(integer)
        default:
            throw GluonParseError(at: token.location, "expected a string or integer key after '[', found \(token.quoted)")
        }
        let close = try advance()
        guard close.isSymbol("]") else {
            if close.isSymbol("..") || close.isSymbol("(") || isOperator(close) { throw notALiteral(after: close) }
            throw GluonParseError(at: close.location, "expected ']' to close the key opened at line \(open.line), column \(open.column), found \(close.quoted)")
        }
        return key
    }

    private mutating func expectEquals(afterKeyAt key: SourceLocation) throws(GluonParseError) {
        let token = try advance()
        guard token.isSymbol("=") else {
            throw GluonParseError(at: token.location, "expected '=' after the key at line \(key.line), column \(key.column), found \(token.quoted)")
        }
    }

    /// The value after `key =`; nil for a lone bare name (`enabled = True`), which Gluon evaluates to nil, so the key is absent.
    private mutating func parseFieldValue(key: LuaKey, depth: Int) throws(GluonParseError) -> LuaValue? {
        let token = try peek()
        guard case .name(let name) = token.kind else { return try parseValue(depth: depth) }
        _ = try advance()
        let next = try peek()
        guard next.isSymbol(",") || next.isSymbol(";") || next.isSymbol("}") else {
            throw nameUsedAsValue(name, at: token.location, next: next)
        }
        let hint = ["True": "true", "False": "false", "TRUE": "true", "FALSE": "false", "Nil": "nil", "NULL": "nil", "null": "nil"][name].map { " (did you mean \($0)?)" } ?? " (write '\(name)' in quotes if it is meant as a string)"
        warnings.append(Diagnostic.warning(
            location: token.location,
            message: "\(Echo.inline(key.description, limit: 80)) = \(name): '\(name)' is an undefined Lua variable, so Gluon reads nil and builds as if \(Echo.inline(key.description, limit: 80)) were not set\(hint)"
        ))
        return nil
    }

    private mutating func parseValue(depth: Int) throws(GluonParseError) -> LuaValue {
        let token = try advance()
        if case .name(let name) = token.kind {
            throw nameUsedAsValue(name, at: token.location, next: try peek())
        }
        return try parseValue(startingWith: token, depth: depth)
    }

    private mutating func parseValue(startingWith token: LuaToken, depth: Int) throws(GluonParseError) -> LuaValue {
        switch token.kind {
        case .string(let text):
            return .string(text)
        case .number(let number):
            return number
        case .keyword("true"):
            return .boolean(true)
        case .keyword("false"):
            return .boolean(false)
        case .keyword("nil"):
            return .nil
        case .symbol("{"):
            return .table(try parseTable(openedAt: token.location, depth: depth + 1))
        case .symbol("-"):
            let operand = try advance()
            switch operand.kind {
            case .number(.integer(let value)):
                return value == Int.min ? .integer(Int.min) : .integer(-value)
            case .number(.float(let value)):
                return .float(-value)
            default:
                throw GluonParseError(at: token.location, "unary minus is only allowed directly before a number; site.conf must contain literal values only")
            }
        case .keyword("function"):
            throw GluonParseError(at: token.location, "function definitions are not allowed; site.conf must contain literal values only")
        case .keyword("not"), .symbol("#"), .symbol("~"):
            throw GluonParseError(at: token.location, "operator \(token.quoted) is not allowed; site.conf must contain literal values only")
        case .symbol("("):
            throw GluonParseError(at: token.location, "parenthesised expressions are not allowed; site.conf must contain literal values only")
        case .symbol("..."):
            throw GluonParseError(at: token.location, "'...' is not allowed; site.conf must contain literal values only")
        case .name(let name):
            throw GluonParseError(at: token.location, "unexpected name '\(name)'")
        case .endOfFile:
            throw GluonParseError(at: token.location, "expected a value, found the end of the file")
        default:
            throw GluonParseError(at: token.location, "expected a value, found \(token.quoted)")
        }
    }

    private func isOperator(_ token: LuaToken) -> Bool {
        switch token.kind {
        case .symbol(let symbol):
            ["+", "-", "*", "/", "//", "%", "^", "==", "~=", "<", ">", "<=", ">=", "&", "|", "~", "<<", ">>"].contains(symbol)
        case .keyword(let word):
            word == "and" || word == "or"
        default:
            false
        }
    }

    /// The error for a token that cannot follow a complete value: says which non-literal construct it would start.
    private func notALiteral(after token: LuaToken) -> GluonParseError {
        let construct: String
        switch token.kind {
        case .symbol(".."):
            construct = "string concatenation ('..') is not allowed"
        case .symbol("("), .symbol("{"), .string:
            construct = "function calls are not allowed"
        case .symbol("."), .symbol("["), .symbol(":"):
            construct = "indexing a value is not allowed"
        case .symbol("+"), .symbol("-"), .symbol("*"), .symbol("/"), .symbol("//"), .symbol("%"), .symbol("^"):
            construct = "arithmetic (\(token.quoted)) is not allowed"
        case .symbol("=="), .symbol("~="), .symbol("<"), .symbol(">"), .symbol("<="), .symbol(">="):
            construct = "comparisons (\(token.quoted)) are not allowed"
        case .keyword("and"), .keyword("or"):
            construct = "boolean operators (\(token.quoted)) are not allowed"
        case .symbol("&"), .symbol("|"), .symbol("~"), .symbol("<<"), .symbol(">>"):
            construct = "bitwise operators (\(token.quoted)) are not allowed"
        default:
            return GluonParseError(at: token.location, "expected ',' or '}' after a table entry, found \(token.quoted)")
        }
        return GluonParseError(at: token.location, "\(construct); site.conf must contain literal values only")
    }

    /// The error for a bare name where a value belongs: a call, an index or a variable.
    private func nameUsedAsValue(_ name: String, at location: SourceLocation, next: LuaToken) -> GluonParseError {
        if next.isSymbol("(") || next.isSymbol("{") || next.kind.isString {
            return GluonParseError(at: location, "function call '\(name)(…)' is not allowed; site.conf must contain literal values only")
        }
        if next.isSymbol(".") || next.isSymbol("[") || next.isSymbol(":") {
            return GluonParseError(at: location, "variable access '\(name)\(next.isSymbol("[") ? "[" : (next.isSymbol(":") ? ":" : "."))…' is not allowed; site.conf must contain literal values only")
        }
        return GluonParseError(at: location, "variable '\(name)' is not allowed as a value; write '\(name)' in quotes if it is meant as a string")
    }
}

extension LuaToken.Kind {
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
