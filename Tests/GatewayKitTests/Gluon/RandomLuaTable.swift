@testable import GatewayKit
@testable import GluonKit

/// Generates awkward but valid tables: quotes, backslashes, control characters, `]]`, UTF-8, reserved-word keys, extreme numbers.
struct RandomLuaTable {
    var random: SeededRandom

    private static let fragments = [
        "a", "Z", "_", "0", "9", " ", "'", "\"", "\\", "\n", "\r", "\t", "\0", "\u{7F}", "]]", "]=]", "[[", "--",
        "ä", "€", "😀", "\\n", "1", "x", ".", ":", "port 10000", "\u{1}2",
    ]
    private static let names = ["site_code", "mtu", "end", "nil", "and", "key with space", "ü", "", "1abc", "_x9", "peers"]

    mutating func table(depth: Int) -> LuaTable {
        var table = LuaTable()
        for _ in 0..<Int.random(in: 0...4, using: &random) { table.append(value(depth: depth)) }
        for _ in 0..<Int.random(in: 0...5, using: &random) { table.set(value(depth: depth), forKey: key()) }
        return table
    }

    mutating func key() -> LuaKey {
        switch Int.random(in: 0...3, using: &random) {
        case 0: .string(Self.names.randomElement(using: &random)!)
        case 1: .string(string())
        case 2: .integer(Int.random(in: -3...8, using: &random))
        default: .integer([Int.min, Int.max, 0, -1].randomElement(using: &random)!)
        }
    }

    mutating func string() -> String {
        (0..<Int.random(in: 0...8, using: &random)).map { _ in Self.fragments.randomElement(using: &random)! }.joined()
    }

    mutating func value(depth: Int) -> LuaValue {
        switch Int.random(in: 0...(depth > 0 ? 7 : 6), using: &random) {
        case 0, 1: return .string(string())
        case 2: return .integer([Int.min, Int.max, 0, -1, 1312, Int.random(in: -100_000...100_000, using: &random)].randomElement(using: &random)!)
        case 3:
            let special: [Double] = [0.08, -0.0, 1e300, -1e-300, .infinity, -.infinity, .leastNonzeroMagnitude, 100, 0.1 + 0.2]
            return .float(Bool.random(using: &random) ? special.randomElement(using: &random)! : Double.random(in: -1e6...1e6, using: &random))
        case 4: return .boolean(Bool.random(using: &random))
        case 5: return .nil
        default: return depth > 0 ? .table(table(depth: depth - 1)) : .string(string())
        }
    }
}
