import ArgumentParser
import Logging

/// `-v`: what a run does, as it does it, on stderr; stdout keeps the command's product.
struct VerbosityOptions: ParsableArguments {
    @Flag(name: [.short, .long], help: "Also print, on stderr, how each gateway is reached and each command and step as it runs.")
    var verbose = false

    /// stderr's log level without -v: only what ends a run, which the root prints once anyway.
    static let quietLevel = Logger.Level.critical

    /// stderr's log level: every record with -v.
    var standardErrorLevel: Logger.Level { verbose ? .debug : Self.quietLevel }
}

/// A command that takes `-v`, so the root can set up logging once it has parsed the command line.
protocol VerboseCommand: SendableMetatype {
    var verbosity: VerbosityOptions { get }
}
