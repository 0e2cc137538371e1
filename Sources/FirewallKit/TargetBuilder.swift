/// Types the target of a rule; unknown targets stay raw with their options.
enum TargetBuilder {
    typealias Failure = RuleParser.Failure

    static func build(name: String, column: Int, goto: Bool, options raw: [RuleParser.RawOption], context: RuleParser.Context) throws(Failure) -> RuleTarget {
        let options = raw.map(\.extensionOption)
        func none() throws(Failure) {
            if let first = raw.first { throw Failure(column: first.column, message: "\(name) takes no option --\(first.name)") }
        }
        func required(_ option: String) throws(Failure) -> String {
            guard let found = raw.first(where: { $0.name == option }) else {
                throw Failure(column: column, message: "\(name) needs --\(option)")
            }
            guard found.values.count == 1 else {
                throw Failure(column: found.column, message: "--\(option) needs exactly one value")
            }
            return found.values[0].text
        }
        if context.chains[name] != nil {
            if BuiltinChains.isBuiltin(name, in: context.table) {
                throw Failure(column: column, message: "cannot jump to built-in chain \(name)")
            }
            try none()
            return goto ? .goto(name) : .jump(name)
        }
        if goto { throw Failure(column: column, message: "-g needs a user chain; '\(name)' is not declared in table '\(context.table)'") }
        switch name {
        case "ACCEPT": try none(); return .accept
        case "DROP": try none(); return .drop
        case "RETURN": try none(); return .returnFromChain
        case "REJECT":
            if let other = raw.first(where: { $0.name != "reject-with" }) {
                throw Failure(column: other.column, message: "REJECT takes only --reject-with, not --\(other.name)")
            }
            return .reject(with: raw.isEmpty ? nil : try required("reject-with"))
        case "MASQUERADE": return .masquerade(options: options)
        case "SNAT": return .sourceNAT(to: try required("to-source"), options: options.filter { $0.name != "to-source" })
        case "DNAT": return .destinationNAT(to: try required("to-destination"), options: options.filter { $0.name != "to-destination" })
        case "TCPMSS":
            guard raw.count == 1, let option = raw.first else {
                throw Failure(column: column, message: "TCPMSS needs exactly one of --clamp-mss-to-pmtu or --set-mss N")
            }
            switch option.name {
            case "clamp-mss-to-pmtu":
                if !option.values.isEmpty { throw Failure(column: option.values[0].column, message: "--clamp-mss-to-pmtu takes no value") }
                return .clampMSS(.toPathMTU)
            case "set-mss":
                guard option.values.count == 1, let mss = UInt16(option.values[0].text) else {
                    throw Failure(column: option.column, message: "--set-mss needs a number")
                }
                return .clampMSS(.fixed(mss))
            default:
                throw Failure(column: option.column, message: "unknown TCPMSS option --\(option.name)")
            }
        case "MARK":
            return try mark(raw, column: column)
        case "NOTRACK":
            try none()
            return .notrack(name: "NOTRACK")
        case "CT" where raw.count == 1 && raw[0].name == "notrack" && raw[0].values.isEmpty:
            return .notrack(name: "CT")
        default:
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                throw Failure(column: column, message: "bad target name '\(name)'")
            }
            if name.contains(where: \.isLowercase) {
                throw Failure(column: column, message: "chain '\(name)' is not declared in table '\(context.table)'")
            }
            return .other(name: name, options: options)
        }
    }

    /// Every MARK spelling becomes the kernel's `(mark & ~mask) ^ value`, as iptables-save prints it.
    private static func mark(_ raw: [RuleParser.RawOption], column: Int) throws(Failure) -> RuleTarget {
        guard raw.count == 1, let option = raw.first, option.values.count == 1 else {
            throw Failure(column: column, message: "MARK needs exactly one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark with a value")
        }
        let text = option.values[0].text
        let bad = Failure(column: option.values[0].column, message: "bad mark '\(text)'")
        switch option.name {
        case "set-xmark", "set-mark":
            guard let (value, mask) = MatchBuilder.parseMark(text) else { throw bad }
            return .setMark(value: value, mask: option.name == "set-mark" ? mask | value : mask)
        case "and-mark":
            guard let bits = MatchBuilder.parseNumber(Substring(text)) else { throw bad }
            return .setMark(value: 0, mask: ~bits)
        case "or-mark":
            guard let bits = MatchBuilder.parseNumber(Substring(text)) else { throw bad }
            return .setMark(value: bits, mask: bits)
        case "xor-mark":
            guard let bits = MatchBuilder.parseNumber(Substring(text)) else { throw bad }
            return .setMark(value: bits, mask: 0)
        default:
            throw Failure(column: option.column, message: "unknown MARK option --\(option.name)")
        }
    }
}
