import ArgumentParser
import GatewayKit

/// How a command runs over several gateways when `--gateway` is left out.
struct FleetOptions: ParsableArguments {
    @Option(name: .long, help: "How many gateways to work on at once when no --gateway is given.")
    var parallel = 4

    @Flag(name: .long, help: "Start no further gateway once one has failed.")
    var failFast = false

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1, not \(parallel)") }
    }

    var runner: FleetRunner { FleetRunner(parallel: parallel, failFast: failFast) }
}
