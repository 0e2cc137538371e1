import Foundation
import GatewayKit
import Logging

/// Prints a failure as the one line (or lines, one per problem) it is, and exits 1: no stack traces.
func exitWithFailure(_ error: any Error) -> Never {
    let text: String
    switch error {
    case let error as CustomStringConvertible: text = error.description
    default: text = String(describing: error)
    }
    Logger(label: "gwsetup").error("\(text)", metadata: [LogKey.outcome: "failed"])
    FileHandle.standardError.write(Data((text.split(separator: "\n").map { "error: \($0)" }.joined(separator: "\n") + "\n").utf8))
    exit(1)
}

/// Site warnings go to stderr so they never pollute --json output.
func printWarnings(_ pipeline: SitePipeline) {
    for warning in pipeline.loaded.warnings {
        FileHandle.standardError.write(Data("\(warning)\n".utf8))
    }
}

/// Notes and warnings go to stderr so stdout stays the command's product (a site file, a fragment, JSON).
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
