import ArgumentParser
import Foundation
import GatewayKit
import Logging
import GatewayBase

/// Where every error leaves gwsetup: help and version exit 0, an exit status a command chose (2 for "changes",
/// 1 after a fleet's own report) exits silently, and anything else, usage errors included, prints as `error: …`
/// lines and exits 1, the one status the README and verify's 0/2/1 contract promise for an error.
func exitForError(_ error: any Error) -> Never {
    if let chosen = error as? ExitCode { exit(chosen.rawValue) }
    let code = GWSetup.exitCode(for: error)
    if code == .success { GWSetup.exit(withError: error) }
    let text = code == .validationFailure ? UsageErrorText(error).line : FailureText.describe(error)
    Logger(label: "gwsetup").error("\(text)", metadata: [LogKey.outcome: "failed"])
    printErrorLines(text)
    exit(ExitCode.failure.rawValue)
}

/// A one-line failure the command itself words; it leaves through ``exitForError`` like any other.
struct StepFailed: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

/// Prints each line of a failure as `error: …`, escaped and cut, as the one place error text reaches the terminal.
func printErrorLines(_ text: String) {
    let lines = text.split(separator: "\n").map { "error: " + TerminalLine.shown($0) }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// Site warnings go to stderr so they never pollute --json output.
func printWarnings(_ pipeline: SitePipeline) {
    for warning in pipeline.loaded.warnings { printToStandardError(warning.description) }
}

/// Notes and warnings go to stderr so stdout stays the command's product (a site file, a fragment, JSON).
func printToStandardError(_ text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(TerminalLine.shown)
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// An error's text for the terminal: its own description, or a few plain words for Foundation's errors.
enum FailureText {
    static func describe(_ error: any Error) -> String {
        let bridged = error as NSError
        if bridged.domain == NSCocoaErrorDomain || bridged.domain == NSPOSIXErrorDomain {
            let path = (bridged.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
            return "\(path)a file operation failed (\(FileAccess.reason(for: error, reading: true)))"
        }
        if let error = error as? DecodingError { return "a file is not the JSON expected (\(DecodingText.describe(error)))" }
        return String(describing: error)
    }
}

/// A DecodingError in one line, without Swift's dump of its context.
private enum DecodingText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "" : " at " + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "a value has the wrong type\(path(context))"
        case .keyNotFound(let key, let context): return "missing key \(Echo.quoted(key.stringValue))\(path(context))"
        case .dataCorrupted(let context): return "not valid JSON\(path(context))"
        @unknown default: return "not valid JSON"
        }
    }
}

/// argument-parser's message for a usage error, as one line that points to the command's --help.
struct UsageErrorText {
    let line: String

    init(_ error: any Error) {
        // Every '…' in argument-parser's text holds a value the user typed: escaped and cut like any echoed value.
        var message = Echo.quotingValues(in: GWSetup.message(for: error)).replacingOccurrences(of: ". Did you mean", with: "; did you mean")
        if let first = message.first { message = first.lowercased() + message.dropFirst() }
        let full = GWSetup.fullMessage(for: error, columns: 10_000)
        if let range = full.range(of: #"See '[^'\n]*'"#, options: .regularExpression) {
            message += " (s" + full[range].dropFirst() + ")"
        }
        line = message.replacingOccurrences(of: "\n", with: " ")
    }
}

/// One line as a terminal may show it: control characters escaped and anything past a screenful cut, with its length.
enum TerminalLine {
    /// Characters kept of one line; a located message with a long path and its hint fits easily.
    static let limit = 400

    static func shown(_ line: some StringProtocol) -> String {
        var out = ""
        for character in line {
            let escaped = Echo.line(String(character))
            if out.count + escaped.count > limit { return out + "… (\(line.utf8.count) bytes)" }
            out += escaped
        }
        return out
    }
}
