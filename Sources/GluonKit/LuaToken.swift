import GatewayBase

/// A lexical token of the Lua subset, with the position of its first character.
struct LuaToken: Sendable {
    enum Kind: Sendable, Equatable {
        case name(String)
        case keyword(String)
        case string(String)
        case number(LuaValue)
        case symbol(String)
        case endOfFile
    }

    var kind: Kind
    var location: SourceLocation

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .name(let name): "'\(name)'"
        case .keyword(let word): "'\(word)'"
        case .string: "a string"
        case .number: "a number"
        case .symbol(let symbol): "'\(symbol)'"
        case .endOfFile: "the end of the file"
        }
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }

    static let reservedWords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]
}
