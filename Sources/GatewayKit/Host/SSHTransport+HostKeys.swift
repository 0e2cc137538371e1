import Foundation

extension SSHTransport {
    /// The policy every ssh call uses: the caller's, with ``HostKeyPolicy/userConfig`` replaced by what ssh_config says.
    var hostKeyPolicy: HostKeyPolicy {
        options.hostKeyPolicy == .userConfig ? resolvedUserConfigPolicy ?? .strict : options.hostKeyPolicy
    }

    /// Asks OpenSSH itself (`ssh -G`, which connects nowhere) what StrictHostKeyChecking the user's config gives this
    /// host, so `Host`/`Match` blocks and Include files count exactly as ssh counts them. Only once per transport.
    func resolveHostKeyPolicy() async {
        guard options.hostKeyPolicy == .userConfig, resolvedUserConfigPolicy == nil else { return }
        var arguments: [String] = []
        if let configFile = options.configFile { arguments += ["-F", configFile] }
        for option in options.extraOptions { arguments += ["-o", option] }
        arguments += ["-G"] + target.sshArguments + [target.host]
        let outcome = try? await ProcessRunner.run(executable: options.sshExecutable, arguments: arguments, stdin: Data(), timeout: .seconds(10))
        let policy = outcome.flatMap { $0.status == 0 ? Self.hostKeyPolicy(fromEffectiveConfig: String(decoding: $0.stdout, as: UTF8.self)) : nil }
        let chosen = policy ?? .strict
        setResolvedUserConfigPolicy(chosen)
        logger.debug("host key checking \(chosen == .acceptNew ? "accept-new" : "yes") (from ssh_config)", metadata: [LogKey.gateway: "\(describe)"])
    }

    /// `ssh -G` prints `stricthostkeychecking accept-new` (or true, false, ask): accept-new is kept, every other
    /// value, `no`/`off` included, becomes strict, so a config can loosen nothing but first contact.
    static func hostKeyPolicy(fromEffectiveConfig text: String) -> HostKeyPolicy {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", maxSplits: 1)
            if fields.count == 2, fields[0].lowercased() == "stricthostkeychecking" {
                return fields[1].trimmingCharacters(in: .whitespaces).lowercased() == "accept-new" ? .acceptNew : .strict
            }
        }
        return .strict
    }
}
