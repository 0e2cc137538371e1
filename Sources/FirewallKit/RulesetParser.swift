import GatewayBase

/// Reads `iptables-save`/`ip6tables-save` output (or a hand-written restore file) into a `Ruleset`.
public enum RulesetParser {
    /// Parses a whole file; `family` nil infers it from the header, addresses and ICMPv6 use.
    public static func parse(_ text: String, file: String = "<input>", family: IPFamily? = nil) throws(RulesetParseError) -> Ruleset {
        var state = FileState(file: file, family: family ?? inferFamily(text))
        var lineNumber = 0
        for line in lines(of: text) {
            lineNumber += 1
            try state.consume(line, number: lineNumber)
        }
        if let open = state.current {
            throw RulesetParseError(file: file, line: open.line, column: 1, message: "table '\(open.table.name)' has no COMMIT")
        }
        return Ruleset(family: state.family, tables: state.tables)
    }

    /// Lines split on UTF-8 bytes, dropping a CR before the LF; splitting by Character is several times slower
    /// (and "\r\n" is a single Character, so CRLF files would not split at all).
    static func lines(of text: String) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var end = newline
            if end > start, bytes[bytes.index(before: end)] == UInt8(ascii: "\r") { end = bytes.index(before: end) }
            result.append(text[start..<end])
            start = bytes.index(after: newline)
        }
        result.append(text[start...])
        return result
    }

    /// iptables-save names itself in the header; hand-written IPv6 files give themselves away by addresses or ICMPv6.
    static func inferFamily(_ text: String) -> IPFamily {
        for line in lines(of: text) {
            if line.hasPrefix("#") {
                if line.contains("ip6tables-save") { return .ipv6 }
                if line.contains("iptables-save") { return .ipv4 }
                continue
            }
            guard line.hasPrefix("-A") || line.hasPrefix("-I") || line.hasPrefix("[") else { continue }
            if line.contains("icmpv6") || line.contains("ipv6-icmp") || line.contains("-m icmp6") { return .ipv6 }
            let words = line.split(separator: " ")
            for (index, word) in words.enumerated().dropLast() where word == "-s" || word == "-d" || word == "--source" || word == "--destination" {
                // The first address decides; a mixed file is then reported at the odd address.
                return words[index + 1].utf8.contains(UInt8(ascii: ":")) ? .ipv6 : .ipv4
            }
        }
        return .ipv4
    }
}

/// What the parser knows while it walks the file line by line.
private struct FileState {
    struct OpenTable {
        var table: Table
        var line: Int
        var chainIndex: [String: Int]
        /// Chains named by a `:` line or `-N`; built-in chains exist before that, as in the kernel.
        var declared: Set<String> = []
    }

    let file: String
    let family: IPFamily
    var tables: [Table] = []
    var current: OpenTable?

    init(file: String, family: IPFamily) {
        self.file = file
        self.family = family
    }

    func error(_ line: Int, _ column: Int, _ message: String) -> RulesetParseError {
        RulesetParseError(file: file, line: line, column: column, message: message)
    }

    mutating func consume(_ raw: Substring, number: Int) throws(RulesetParseError) {
        // iptables-save writes none; one in a dump would reach the terminal through verify's report.
        if raw.unicodeScalars.contains(where: Echo.isControl) {
            for (offset, character) in raw.enumerated() where character.unicodeScalars.contains(where: Echo.isControl) {
                throw error(number, offset + 1, "control character \(Echo.inline(String(character))) in the dump (iptables-save writes none)")
            }
        }
        let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
        let line = raw.dropFirst(indent)
        let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
        guard let first = trimmed.first, first != "#" else { return }
        let column = indent + 1
        switch first {
        case "*":
            try openTable(String(trimmed.dropFirst()).trimmingTrailingBlanks(), line: number, column: column)
        case ":":
            try declareChain(trimmed, line: number, column: column)
        default:
            if trimmed.trimmingTrailingBlanks() == "COMMIT" {
                guard let open = current else { throw error(number, column, "COMMIT outside a table") }
                tables.append(open.table)
                current = nil
                return
            }
            try command(trimmed, line: number, indent: indent)
        }
    }

    mutating func openTable(_ name: String, line: Int, column: Int) throws(RulesetParseError) {
        if let open = current {
            throw error(line, column, "table '\(name)' starts before table '\(open.table.name)' (line \(open.line)) was committed")
        }
        guard BuiltinChains.byTable[name] != nil else {
            throw error(line, column + 1, "unknown table '\(name)' (expected filter, nat, mangle, raw or security)")
        }
        if tables.contains(where: { $0.name == name }) {
            throw error(line, column, "table '\(name)' appears twice")
        }
        // Built-in chains exist as soon as the table does (ACCEPT until a `:CHAIN` or `-P` line says otherwise).
        let builtins = BuiltinChains.byTable[name]!.map { Chain(name: $0, policy: .accept) }
        var index: [String: Int] = [:]
        for (position, chain) in builtins.enumerated() { index[chain.name] = position }
        current = OpenTable(table: Table(name: name, chains: builtins), line: line, chainIndex: index)
    }

    mutating func declareChain(_ text: Substring, line: Int, column: Int) throws(RulesetParseError) {
        guard var open = current else { throw error(line, column, "chain declared outside a table (missing *table line)") }
        current = nil  // keep the table uniquely referenced so appends do not copy it
        defer { current = open }
        let words = text.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let nameWord = words.first else { throw error(line, column + 1, "chain name missing after ':'") }
        let name = String(nameWord)
        guard words.count >= 2 else { throw error(line, column, "chain '\(name)' needs a policy (ACCEPT, DROP or - for a user chain)") }
        let policyText = String(words[1])
        let policyColumn = column + text.distance(from: text.startIndex, to: words[1].startIndex)
        let builtin = BuiltinChains.isBuiltin(name, in: open.table.name)
        let policy: ChainPolicy?
        if policyText == "-" {
            if builtin { throw error(line, policyColumn, "built-in chain \(name) needs ACCEPT or DROP as policy, not '-'") }
            policy = nil
        } else if let known = ChainPolicy(rawValue: policyText) {
            if !builtin { throw error(line, policyColumn, "user chain '\(name)' cannot have a policy; write '-'") }
            policy = known
        } else {
            throw error(line, policyColumn, "bad policy '\(policyText)' (expected ACCEPT, DROP or -)")
        }
        var counters: Counters?
        if words.count >= 3 {
            let counterColumn = column + text.distance(from: text.startIndex, to: words[2].startIndex)
            guard let parsed = Counters(bracketed: words[2]) else {
                throw error(line, counterColumn, "bad counters '\(words[2])' (expected [packets:bytes])")
            }
            counters = parsed
            if words.count > 3 {
                throw error(line, column + text.distance(from: text.startIndex, to: words[3].startIndex), "unexpected '\(words[3])' after counters")
            }
        }
        guard open.declared.insert(name).inserted else { throw error(line, column + 1, "chain '\(name)' declared twice") }
        if let existing = open.chainIndex[name] {
            open.table.chains[existing].policy = policy
            open.table.chains[existing].counters = counters
        } else {
            open.chainIndex[name] = open.table.chains.count
            open.table.chains.append(Chain(name: name, policy: policy, counters: counters))
        }
    }

    mutating func command(_ text: Substring, line: Int, indent: Int) throws(RulesetParseError) {
        guard var open = current else { throw error(line, indent + 1, "rule outside a table (missing *table line)") }
        current = nil  // keep the table uniquely referenced so appends do not copy it
        defer { current = open }
        let shifted: [RuleToken]
        do {
            shifted = try RuleTokenizer.tokenize(text, columnOffset: indent)
        } catch {
            throw self.error(line, indent + error.column, error.message)
        }
        var position = 0
        var counters: Counters?
        if let first = shifted.first, first.text.hasPrefix("[") {
            guard let parsed = Counters(bracketed: Substring(first.text)) else {
                throw error(line, first.column, "bad counters '\(first.text)' (expected [packets:bytes])")
            }
            counters = parsed
            position = 1
        }
        guard position < shifted.count else { throw error(line, indent + 1, "counters without a rule") }
        let verb = shifted[position]
        position += 1
        func chainName() throws(RulesetParseError) -> (String, Int) {
            guard position < shifted.count else { throw error(line, verb.column, "\(verb.text) needs a chain name") }
            let token = shifted[position]
            position += 1
            guard let index = open.chainIndex[token.text] else {
                throw error(line, token.column, "chain '\(token.text)' is not declared in table '\(open.table.name)'")
            }
            return (token.text, index)
        }
        switch verb.text {
        case "-A", "--append", "-I", "--insert":
            let (name, index) = try chainName()
            var insertAt: Int?
            if verb.text == "-I" || verb.text == "--insert", position < shifted.count, let number = Int(shifted[position].text) {
                guard number >= 1 else { throw error(line, shifted[position].column, "rule number must be 1 or more") }
                insertAt = number - 1
                position += 1
            } else if verb.text == "-I" || verb.text == "--insert" {
                insertAt = 0
            }
            let context = RuleParser.Context(family: family, table: open.table.name, chains: open.chainIndex)
            var rule: Rule
            do {
                rule = try RuleParser.parse(Array(shifted[position...]), chain: name, context: context)
            } catch {
                throw self.error(line, error.column, error.message)
            }
            rule.line = line
            rule.text = String(text)
            if let counters {
                if rule.counters != nil { throw error(line, shifted[0].column, "counters given twice") }
                rule.counters = counters
            }
            if let insertAt {
                let rules = open.table.chains[index].rules
                guard insertAt <= rules.count else { throw error(line, verb.column, "cannot insert at \(insertAt + 1): chain '\(name)' has \(rules.count) rules") }
                open.table.chains[index].rules.insert(rule, at: insertAt)
            } else {
                open.table.chains[index].rules.append(rule)
            }
        case "-N", "--new-chain":
            guard position < shifted.count else { throw error(line, verb.column, "-N needs a chain name") }
            let token = shifted[position]
            guard open.chainIndex[token.text] == nil, open.declared.insert(token.text).inserted else {
                throw error(line, token.column, "chain '\(token.text)' declared twice")
            }
            open.chainIndex[token.text] = open.table.chains.count
            open.table.chains.append(Chain(name: token.text, policy: nil))
            position += 1
        case "-P", "--policy":
            let (name, index) = try chainName()
            guard position < shifted.count, let policy = ChainPolicy(rawValue: shifted[position].text) else {
                throw error(line, position < shifted.count ? shifted[position].column : verb.column, "-P needs ACCEPT or DROP")
            }
            guard open.table.chains[index].isBuiltin else { throw error(line, verb.column, "user chain '\(name)' cannot have a policy") }
            open.table.chains[index].policy = policy
            position += 1
        default:
            throw error(line, verb.column, "unknown command '\(verb.text)' (expected -A, -I, -N, -P, :CHAIN or COMMIT)")
        }
        if verb.text == "-N" || verb.text == "-P" || verb.text == "--new-chain" || verb.text == "--policy", position < shifted.count {
            throw error(line, shifted[position].column, "unexpected '\(shifted[position].text)'")
        }
    }
}

extension Counters {
    /// `[123:4567]` as iptables-save writes counters.
    init?(bracketed text: Substring) {
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        let parts = text.dropFirst().dropLast().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let packets = UInt64(parts[0]), let bytes = UInt64(parts[1]) else { return nil }
        self.init(packets: packets, bytes: bytes)
    }
}

private extension StringProtocol {
    func trimmingTrailingBlanks() -> String {
        var text = String(self)
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
