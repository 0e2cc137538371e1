/// Reads ssh's stderr after a failed connection and says in one line what went wrong.
enum SSHFailure {
    /// A lower-case reason, e.g. `connection refused`, `host key mismatch (…)`, and the port ssh reported if any.
    static func reason(fromStderr stderr: String) -> (reason: String, port: String?) {
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        func line(containing marker: String) -> String? { lines.first { $0.contains(marker) } }

        if line(containing: "REMOTE HOST IDENTIFICATION HAS CHANGED") != nil
            || line(containing: "Host key for") != nil && line(containing: "has changed") != nil {
            return ("host key mismatch: the key it offers differs from known_hosts (if the host was reinstalled, remove the old key with ssh-keygen -R)", nil)
        }
        if line(containing: "host key is known for") != nil || line(containing: "Host key verification failed") != nil {
            return ("host key unknown: not in known_hosts and strict checking is on (add it with ssh-keyscan after checking its fingerprint)", nil)
        }
        if let denied = line(containing: "Permission denied (") {
            let methods = denied.split(separator: "(", maxSplits: 1).last.map { "(" + $0 }?.dropLast() ?? ""
            return ("permission denied \(methods)".trimmingCharacters(in: .whitespaces), nil)
        }
        if let connect = line(containing: "connect to host "), let range = connect.range(of: " port ") {
            // ssh: connect to host 127.0.0.1 port 2222: Connection refused
            let afterPort = connect[range.upperBound...]
            let parts = afterPort.split(separator: ":", maxSplits: 1)
            let reason = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces).lowercased() : "cannot connect"
            return (reason, parts.first.map(String.init))
        }
        if let resolve = line(containing: "Could not resolve hostname") {
            let why = resolve.split(separator: ":").last?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return ("cannot resolve the host name (\(why))", nil)
        }
        if line(containing: "timed out during banner exchange") != nil || line(containing: "Connection timed out") != nil {
            return ("connection timed out", nil)
        }
        if line(containing: "kex_exchange_identification") != nil || line(containing: "Connection closed by") != nil
            || line(containing: "Connection reset by") != nil {
            return ("the server closed the connection before login (sshd refused or limited it)", nil)
        }
        let last = stderr.lastMeaningfulLine ?? "ssh failed without saying why"
        let trimmed = last.hasPrefix("ssh: ") ? String(last.dropFirst(5)) : last
        return (trimmed.prefix(1).lowercased() + trimmed.dropFirst(), nil)
    }

    /// Whether the multiplexing client could not reach the master (it died, or its socket is stale).
    static func isMasterGone(stderr: String) -> Bool {
        stderr.contains("Control socket connect") || stderr.contains("mux_client_")
    }

    /// Whether stderr of a command that exited 255 shows ssh itself failing rather than the remote command.
    static func isTransportFailure(stderr: String) -> Bool {
        let markers = ["ssh: connect to host", "Could not resolve hostname", "Permission denied (", "Host key verification failed",
                       "Connection closed by", "Connection reset by", "kex_exchange_identification", "client_loop: ",
                       "mux_client", "Control socket connect", "closed by remote host"]
        return stderr.split(whereSeparator: \.isNewline).contains { line in markers.contains { line.contains($0) } }
    }
}
