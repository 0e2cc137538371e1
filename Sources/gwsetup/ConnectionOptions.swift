import ArgumentParser
import GatewayKit

/// How to reach gateways beyond what the site file says; everything else comes from the user's ssh config.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("ssh-config"), help: "Use this ssh config file instead of ~/.ssh/config.")
    var sshConfig: String?

    @Option(name: .customLong("ssh-option"), help: ArgumentHelp("An extra ssh option as KEY=VALUE; may be repeated.", valueName: "KEY=VALUE"))
    var sshOptions: [String] = []

    @Option(name: .customLong("identity"), help: "An ssh identity (private key) file.")
    var identity: String?

    @Flag(name: .customLong("accept-new-host-key"), help: "Trust a gateway's host key on first contact and record it in known_hosts; a changed key still fails.")
    var acceptNewHostKey = false

    @Flag(name: .customLong("insecure-skip-host-key-check"), help: "Do not check the gateway's host key (throwaway test machines only).")
    var insecureSkipHostKeyCheck = false

    func validate() throws {
        if acceptNewHostKey && insecureSkipHostKeyCheck {
            throw ValidationError("--accept-new-host-key and --insecure-skip-host-key-check contradict each other; choose one")
        }
    }

    /// Without a flag, the user's ssh_config decides between strict and accept-new (never anything weaker).
    var hostKeyPolicy: SSHTransport.HostKeyPolicy {
        insecureSkipHostKeyCheck ? .insecureSkip : acceptNewHostKey ? .acceptNew : .userConfig
    }

    func transportOptions() throws -> SSHTransport.Options {
        for option in sshOptions {
            let parts = option.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber }) else {
                throw ValidationError("--ssh-option \(option): expected KEY=VALUE, like ConnectTimeout=5")
            }
        }
        return SSHTransport.Options(configFile: sshConfig, hostKeyPolicy: hostKeyPolicy,
                                    identityFile: identity, extraOptions: sshOptions)
    }
}
