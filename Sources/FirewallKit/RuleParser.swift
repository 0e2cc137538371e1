import GatewayBase

/// Turns the words after `-A CHAIN` into typed matches and a target, the way iptables' option parser groups them.
enum RuleParser {
    struct Context {
        var family: IPFamily
        var table: String
        var chains: [String: Int]
    }

    struct Failure: Error {
        var column: Int
        var message: String
    }

    /// An option of a module or target before it is typed, with columns for error messages.
    struct RawOption {
        var name: String
        var negated: Bool
        var values: [RuleToken]
        var column: Int

        var extensionOption: ExtensionOption { ExtensionOption(name, negated: negated, values: values.map(\.text)) }
    }

    struct RawModule {
        var name: String
        var column: Int
        var options: [RawOption] = []
    }

    private enum Item {
        case match(RuleMatch)
        case module(RawModule)
    }

    private enum Scope {
        case none
        case module(Int)
        case target
    }

    static func parse(_ tokens: [RuleToken], chain: String, context: Context) throws(Failure) -> Rule {
        var items: [Item] = []
        var protocolName: String?
        var target: (name: String, column: Int, goto: Bool, options: [RawOption])?
        var counters: Counters?
        var scope = Scope.none
        var pendingNegation: RuleToken?
        var seen: Set<String> = []
        var index = 0

        func next(after option: RuleToken) throws(Failure) -> RuleToken {
            index += 1
            guard index < tokens.count else { throw Failure(column: option.column, message: "\(option.text) needs a value") }
            let token = tokens[index]
            if !token.quoted && token.text.count > 1 && token.text.hasPrefix("-") {
                throw Failure(column: token.column, message: "\(option.text) needs a value, found option \(token.text)")
            }
            return token
        }

        /// Intrinsic options accept the old `-s ! ADDR` spelling too.
        func negatableValue(after option: RuleToken) throws(Failure) -> (RuleToken, Bool) {
            var negated = pendingNegation != nil
            pendingNegation = nil
            var value = try next(after: option)
            if value.text == "!" && !value.quoted {
                if negated { throw Failure(column: value.column, message: "double negation") }
                negated = true
                value = try next(after: option)
            }
            return (value, negated)
        }

        func once(_ key: String, _ token: RuleToken) throws(Failure) {
            guard seen.insert(key).inserted else { throw Failure(column: token.column, message: "\(token.text) given twice") }
        }

        func collectOption(_ token: RuleToken) -> RawOption {
            var option = RawOption(name: String(token.text.dropFirst(2)), negated: pendingNegation != nil, values: [], column: token.column)
            pendingNegation = nil
            var lookahead = index + 1
            if lookahead + 1 < tokens.count, tokens[lookahead].text == "!", !tokens[lookahead].quoted, !isOption(tokens[lookahead + 1]) {
                option.negated = true
                lookahead += 1
            }
            while lookahead < tokens.count {
                let value = tokens[lookahead]
                if !value.quoted && (isOption(value) || value.text == "!") { break }
                option.values.append(value)
                lookahead += 1
            }
            index = lookahead - 1
            return option
        }

        func implicitModuleIndex(for option: String) -> Int? {
            guard let protocolName, let moduleName = MatchBuilder.implicitModule[protocolName],
                  MatchBuilder.knownOptions[moduleName]?.contains(option) == true else { return nil }
            if let existing = items.firstIndex(where: { if case .module(let module) = $0 { module.name == moduleName } else { false } }) {
                return existing
            }
            items.append(.module(RawModule(name: moduleName, column: 0)))
            return items.count - 1
        }

        while index < tokens.count {
            let token = tokens[index]
            if token.quoted {
                throw Failure(column: token.column, message: "unexpected value '\(token.text)'")
            }
            if token.text == "!" {
                if pendingNegation != nil { throw Failure(column: token.column, message: "double negation") }
                pendingNegation = token
                index += 1
                continue
            }
            switch token.text {
            case "-s", "--source", "--src", "-d", "--destination", "--dst":
                let isSource = token.text == "-s" || token.text.hasPrefix("--s")
                try once(isSource ? "-s" : "-d", token)
                let (value, negated) = try negatableValue(after: token)
                guard !value.text.utf8.contains(UInt8(ascii: ",")) else {
                    throw Failure(column: value.column, message: "several addresses in one rule expand to several rules; write one rule per address")
                }
                guard let network = IPNetwork(value.text, strict: false) else {
                    throw Failure(column: value.column, message: "bad address '\(value.text)'")
                }
                guard family(of: network) == context.family else {
                    throw Failure(column: value.column, message: "\(family(of: network) == .ipv6 ? "IPv6" : "IPv4") address '\(value.text)' in an \(context.family == .ipv6 ? "IPv6" : "IPv4") ruleset")
                }
                let match = AddressMatch(network, negated: negated)
                items.append(.match(isSource ? .source(match) : .destination(match)))
            case "-i", "--in-interface", "-o", "--out-interface":
                let isIn = token.text == "-i" || token.text == "--in-interface"
                try once(isIn ? "-i" : "-o", token)
                let (value, negated) = try negatableValue(after: token)
                guard !value.text.isEmpty, value.text.utf8.count <= 15, !value.text.utf8.contains(UInt8(ascii: "/")), !value.text.utf8.contains(UInt8(ascii: " ")) else {
                    throw Failure(column: value.column, message: "bad interface name '\(value.text)' (1–15 characters, no '/' or blanks)")
                }
                let match = InterfaceMatch(value.text, negated: negated)
                items.append(.match(isIn ? .inInterface(match) : .outInterface(match)))
            case "-p", "--protocol":
                try once("-p", token)
                let (value, negated) = try negatableValue(after: token)
                let lower = value.text.lowercased()
                if lower == "all" || lower == "0" {
                    items.append(.match(.protocol(ProtocolMatch(nil, negated: negated))))
                } else if let number = KnownNames.protocolNumber(lower) {
                    items.append(.match(.protocol(ProtocolMatch(number, negated: negated))))
                    if !negated { protocolName = KnownNames.protocolName(number) }
                } else {
                    throw Failure(column: value.column, message: "unknown protocol '\(value.text)'")
                }
            case "-f", "--fragment":
                try once("-f", token)
                items.append(.match(.fragment(negated: pendingNegation != nil)))
                pendingNegation = nil
            case "-m", "--match":
                if let pendingNegation { throw Failure(column: pendingNegation.column, message: "'!' cannot negate -m; put it before the module's option") }
                let value = try next(after: token)
                items.append(.module(RawModule(name: value.text, column: value.column)))
                scope = .module(items.count - 1)
            case "-j", "--jump", "-g", "--goto":
                if let pendingNegation { throw Failure(column: pendingNegation.column, message: "'!' cannot negate a target") }
                if let target { throw Failure(column: token.column, message: "second target (first was \(target.name))") }
                let value = try next(after: token)
                target = (value.text, value.column, token.text == "-g" || token.text == "--goto", [])
                scope = .target
            case "-c", "--set-counters":
                let packets = try next(after: token)
                let bytes = try next(after: token)
                guard let p = UInt64(packets.text), let b = UInt64(bytes.text) else {
                    throw Failure(column: packets.column, message: "-c needs two numbers (packets bytes)")
                }
                counters = Counters(packets: p, bytes: b)
            default:
                guard token.text.hasPrefix("--"), token.text.count > 2 else {
                    throw Failure(column: token.column, message: "unknown option '\(token.text)'")
                }
                let name = String(token.text.dropFirst(2))
                switch scope {
                case .target:
                    target!.options.append(collectOption(token))
                case .module(let moduleIndex):
                    guard case .module(let module) = items[moduleIndex] else { fatalError("scope points at a module") }
                    var destination = moduleIndex
                    if let known = MatchBuilder.knownOptions[module.name], !known.contains(name) {
                        guard let implicit = implicitModuleIndex(for: name) else {
                            throw Failure(column: token.column, message: "unknown option '\(token.text)' for module \(module.name)")
                        }
                        destination = implicit
                    }
                    let option = collectOption(token)
                    guard case .module(var owner) = items[destination] else { fatalError("destination is a module") }
                    owner.options.append(option)
                    items[destination] = .module(owner)
                case .none:
                    guard let implicit = implicitModuleIndex(for: name) else {
                        throw Failure(column: token.column, message: "unknown option '\(token.text)' (no -m module loaded that has it)")
                    }
                    let option = collectOption(token)
                    guard case .module(var owner) = items[implicit] else { fatalError("destination is a module") }
                    owner.options.append(option)
                    items[implicit] = .module(owner)
                }
            }
            index += 1
        }
        if let pendingNegation { throw Failure(column: pendingNegation.column, message: "'!' at the end of the rule negates nothing") }

        var matches: [RuleMatch] = []
        matches.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .match(let match): matches.append(match)
            case .module(let module): matches.append(try MatchBuilder.build(module, family: context.family))
            }
        }
        let built = try target.map { target throws(Failure) in
            try TargetBuilder.build(name: target.name, column: target.column, goto: target.goto, options: target.options, context: context)
        }
        return Rule(chain: chain, matches: matches, target: built, counters: counters)
    }

    static func isOption(_ token: RuleToken) -> Bool {
        guard !token.quoted, token.text.hasPrefix("-"), token.text.count > 1 else { return false }
        let second = token.text.utf8[token.text.utf8.index(after: token.text.utf8.startIndex)]
        return !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(second)
    }
}

/// The family of a parsed `-s`/`-d`, to refuse an IPv6 address in an IPv4 ruleset.
private func family(of network: IPNetwork) -> IPFamily {
    switch network {
    case .v4: .ipv4
    case .v6: .ipv6
    }
}
