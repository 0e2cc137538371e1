import Foundation
import GatewayBase

/// What a string in the site file may look like; checked at load so nothing unchecked reaches a config, shell or terminal.
enum FieldGrammar: Sendable {
    /// Free text people read (`site.name`): printable, one line, at most `maxLength` characters.
    case text(maxLength: Int)
    /// Codes: ASCII letters, digits, `_` and `-`, starting with a letter, at most `maxLength` characters.
    case identifier(maxLength: Int)
    /// A gateway name: one DNS label.
    case hostLabel
    /// A DNS name: dot-separated labels of letters, digits and inner `-`.
    case dnsName
    /// A DNS name or an IPv4/IPv6 literal (NTP servers, public hosts, SSH hosts).
    case host
    /// A tz database name such as `Europe/Berlin`.
    case timezone
    /// An account gwsetup creates: Linux user-name rules, not root, not a system account.
    case adminName
    /// The login user of an SSH target: Linux user-name rules (root allowed: it is the default).
    case loginUser
    /// A network interface gwsetup names in iptables, systemd and shell: letters, digits, `.`, `-`, `_`; 1–15 bytes.
    case interfaceName
    /// `local` or `[user@]host[:port]`, checked part by part by the reader.
    case sshTarget
    /// A folder path: not empty, not starting with `-`, at most 4096 bytes.
    case path
    /// fastd method names: letters, digits and `+-@_`, starting with a letter.
    case fastdMethod
    /// A name that becomes part of an iptables comment and of verify's intent ids: lower-case words joined by `-`.
    case ruleName(maxLength: Int)
    /// Values the reader parses into a typed value (addresses, prefixes, ranges, keys, durations, enums);
    /// the strict parser is the grammar, named here for the reference.
    case parsed(String)

    /// Why `text` does not fit, as a phrase after the quoted value; nil when it fits.
    func defect(in text: String) -> String? {
        switch self {
        case .text(let maxLength):
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return "is empty" }
            if text.count > maxLength { return "is longer than \(maxLength) characters" }
            if let scalar = text.unicodeScalars.first(where: Self.isInvisible) {
                return "contains the invisible character U+\(String(scalar.value, radix: 16, uppercase: true))"
            }
            return nil
        case .identifier(let maxLength):
            guard let first = text.first, first.isLetter, first.isASCII,
                  text.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isASCIIDigit || $0 == "_" || $0 == "-" }) else {
                return "may hold only letters, digits, '_' and '-', starting with a letter"
            }
            return text.count > maxLength ? "is longer than \(maxLength) characters" : nil
        case .hostLabel:
            return Self.isLabel(Substring(text)) ? nil : "must be a host name label (letters, digits, inner '-'; at most 63)"
        case .dnsName:
            return Self.isDNSName(text) ? nil : "is not a DNS name (labels of letters, digits and inner '-', separated by dots)"
        case .host:
            if text.hasPrefix("-") { return "starts with '-', which commands would read as an option" }
            return Self.isHost(text) ? nil : "is neither a DNS name nor an IP address"
        case .timezone:
            return TimeZoneNames.all.contains(text) ? nil : "is not a tz database time zone (e.g. Europe/Berlin, Etc/UTC)"
        case .adminName:
            if let defect = Self.userNameDefect(text) { return defect }
            if text == "root" { return "is root, whose key file gwsetup does not manage; pick a personal account name" }
            if SystemAccounts.names.contains(text) { return "is a system account of Debian or of a package gwsetup installs; pick a personal account name" }
            return nil
        case .loginUser:
            return Self.userNameDefect(text)
        case .interfaceName:
            return Self.interfaceNameDefect(text)
        case .sshTarget:
            return text.hasPrefix("-") ? "starts with '-', which ssh would read as an option" : nil
        case .path:
            if text.isEmpty { return "is empty" }
            if text.hasPrefix("-") { return "starts with '-'" }
            return text.utf8.count > 4096 ? "is longer than 4096 bytes" : nil
        case .fastdMethod:
            guard let first = text.first, first.isLetter, first.isASCII,
                  text.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isASCIIDigit || "+-@_".contains($0) }) else {
                return "is not a fastd method (e.g. salsa2012+umac, null, null@l2tp)"
            }
            return nil
        case .ruleName(let maxLength):
            let words = text.split(separator: "-", omittingEmptySubsequences: false)
            guard text.first?.isASCII == true, text.first?.isLetter == true, words.allSatisfy({ word in
                !word.isEmpty && word.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isASCIIDigit }
            }) else { return "may hold only lower-case letters and digits in words joined by single '-', starting with a letter" }
            return text.count > maxLength ? "is longer than \(maxLength) characters" : nil
        case .parsed:
            return nil
        }
    }

    // MARK: - Shared rules

    /// Characters no value may hold anywhere: C0, DEL, C1, bidi controls and line separators,
    /// which forge lines in configs and terminals or make text read differently than it is.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool { Echo.isControl(scalar) }

    /// `Echo.quoted`, with the separators and invisible characters Echo leaves alone escaped too, for values that hold forbidden characters.
    static func shown(_ text: String) -> String {
        func needsEscape(_ scalar: Unicode.Scalar) -> Bool { (isForbidden(scalar) || isInvisible(scalar)) && !Echo.isControl(scalar) }
        guard text.unicodeScalars.contains(where: needsEscape) else { return Echo.quoted(text) }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                escaped.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return Echo.quoted(String(escaped))
    }

    /// Zero-width and other format characters that make a name look like another.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    static func isLabel(_ label: Substring) -> Bool {
        guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { ($0.isLetter && $0.isASCII) || $0.isASCIIDigit || $0 == "-" }
    }

    static func isDNSName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    static func isHost(_ text: String) -> Bool { isDNSName(text) || IPAddress(text) != nil }

    /// Debian's useradd rules, stricter on case: `[a-z_][a-z0-9_-]*`, at most 32 bytes.
    static func userNameDefect(_ text: String) -> String? {
        guard let first = text.first else { return "is empty" }
        guard text.utf8.count <= 32 else { return "is longer than 32 characters, the Linux limit for user names" }
        guard first.isASCII && (first.isLowercase || first == "_"),
              text.allSatisfy({ ($0.isLowercase && $0.isASCII) || $0.isASCIIDigit || $0 == "-" || $0 == "_" }) else {
            return "is not a valid Linux user name (lower case letters, digits, '-' and '_', starting with a letter or '_')"
        }
        return nil
    }

    /// Linux allows almost any bytes; gwsetup allows what iptables, systemd and shells read literally.
    static func interfaceNameDefect(_ text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if text.utf8.count > SiteDefaults.maxInterfaceNameLength { return "is longer than \(SiteDefaults.maxInterfaceNameLength) bytes, the Linux limit for interface names" }
        if text == "." || text == ".." { return "is not an interface name" }
        if text == "lo" { return "is the loopback interface" }
        if text.contains("+") { return "contains '+', which iptables reads as a wildcard for every interface" }
        if text.hasPrefix("-") { return "starts with '-', which commands would read as an option" }
        guard text.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isASCIIDigit || ".-_".contains($0) }) else {
            return "is not an interface name (letters, digits, '.', '-' and '_' only)"
        }
        return nil
    }
}
