import Foundation

extension TestVM {
    /// The guest journal's position now: logins counted by `sshLogins(after:)` are the ones that come later.
    func journalCursor() async throws -> String {
        let cursor = try await run("journalctl -n 1 --show-cursor --no-pager | sed -n 's/^-- cursor: //p'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cursor.isEmpty else { throw VMError.commandFailed(name: name, command: "journalctl --show-cursor", result: "no cursor") }
        return cursor
    }

    /// Logins the guest's sshd accepted after `cursor`, as its own log counts them, less the login that asks: that one
    /// is found by its client port (from `$SSH_CONNECTION`) and waited for, so every earlier line is in the journal too.
    func sshLogins(after cursor: String) async throws -> Int {
        let script = """
            port=$(echo "$SSH_CONNECTION" | cut -d' ' -f2)
            lines() { journalctl --after-cursor='\(cursor)' -u ssh.service -o cat --no-pager | grep 'Accepted publickey'; }
            for i in $(seq 60); do lines | grep -q " port $port " && break; sleep 1; done
            lines | grep -q " port $port " || { echo "sshd never logged this login (port $port)" >&2; exit 1; }
            lines | grep -vc " port $port " || true
            """
        let counted = try await run(script).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let logins = Int(counted) else { throw VMError.commandFailed(name: name, command: "count sshd logins", result: counted) }
        return logins
    }
}
