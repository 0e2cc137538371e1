import Foundation
@testable import GatewayKit

/// Two network namespaces joined by a veth pair (192.0.2.1 and 192.0.2.2, the addresses the fixture site gives gwa and
/// gw-b), where real tincd 1.0 runs one net from the files gwsetup renders, with keys made by apply's own key step.
/// Every tincd it starts is killed and both namespaces are deleted in deinit, whatever the test did.
final class TincTestbed {
    let folder: ScratchFolder
    let namespaces: [String]
    private var pids: [String] = []

    init() throws {
        folder = try ScratchFolder()
        let tag = UInt32.random(in: 10000...99999)
        namespaces = ["gwtinc-a-\(tag)", "gwtinc-b-\(tag)"]
        let (a, b) = (namespaces[0], namespaces[1])
        let created = try Shell.run("""
            set -e
            ip netns add \(a); ip netns add \(b)
            ip link add name veth-a netns \(a) type veth peer name veth-b netns \(b)
            ip -n \(a) addr add 192.0.2.1/24 dev veth-a; ip -n \(b) addr add 192.0.2.2/24 dev veth-b
            for ns in \(a) \(b); do ip -n $ns link set lo up; done
            ip -n \(a) link set veth-a up; ip -n \(b) link set veth-b up
            """)
        guard created.status == 0 else {
            cleanUp()
            throw NamespaceError(message: "tinc testbed: \(created.output)")
        }
        // tinc-up calls batctl, which this kernel has no batman-adv for: a stand-in records what it was asked.
        try write("bin/batctl", "#!/bin/sh\necho \"$*\" >> \"$BATCTL_LOG\"\n")
        guard chmod(folder.path + "/bin/batctl", 0o755) == 0 else { throw NamespaceError(message: "chmod batctl") }
    }

    /// Runs apply's own key step (`gw_tinc_key`) with the key's two paths in this testbed; returns what it printed on `@tinc`.
    func makeKey(_ name: String) throws -> (privatePath: String, publicKey: String) {
        let (privatePath, publicPath) = (folder.path + "/\(name).priv", folder.path + "/\(name).pub")
        let run = try Shell.run(TincKeyFunctions.text + "exec 8>&1\ngw_tinc_key \(ShellQuote.quote(privatePath)) \(ShellQuote.quote(publicPath))\n")
        guard run.status == 0, let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("@tinc\t") }) else {
            throw NamespaceError(message: "gw_tinc_key: \(run.output)")
        }
        return (privatePath, String(line.dropFirst(6)))
    }

    /// Writes the net `net` of `desired` as the gateway would have it under /etc/tinc/<net>/, into `name/` here; the one
    /// line changed is PrivateKeyFile, which points at the testbed's copy of the key. Returns the folder.
    func install(_ desired: DesiredState, net: String, as name: String, privateKey: String) throws -> String {
        let prefix = "/etc/tinc/\(net)/"
        for file in desired.files where file.path.hasPrefix(prefix) {
            var content = file.content
            if file.path.hasSuffix("/tinc.conf") {
                content = content.replacingOccurrences(of: "PrivateKeyFile = \(TincKey.privatePath)\n", with: "PrivateKeyFile = \(privateKey)\n")
            }
            let path = try write("\(name)/\(file.path.dropFirst(prefix.count))", content)
            guard chmod(path, mode_t(file.mode)) == 0 else { throw NamespaceError(message: "chmod \(path)") }
        }
        return folder.path + "/\(name)"
    }

    /// Starts `tincd -D` on `directory` in namespace `index`, logging to `name.log`.
    func start(_ directory: String, in index: Int, as name: String) throws {
        let log = folder.path + "/\(name).log"
        let run = try Shell.run("""
            ip netns exec \(namespaces[index]) env PATH=\(folder.path)/bin:$PATH BATCTL_LOG=\(folder.path)/\(name).batctl \
              tincd -c \(directory) -D -d2 --pidfile=\(folder.path)/\(name).pid --logfile=\(log) </dev/null >/dev/null 2>&1 &
            echo $!
            """)
        let pid = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard run.status == 0, Int(pid) != nil else { throw NamespaceError(message: "tincd \(name): \(run.output)") }
        pids.append(pid)
    }

    /// Runs `command` in namespace `index`.
    func exec(_ index: Int, _ command: String) throws -> Shell.Result {
        try Shell.run("ip netns exec \(namespaces[index]) \(command)")
    }

    /// Waits until `condition` holds, polling every 200 ms, at most `seconds`.
    func wait(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        return false
    }

    /// Writes `text` to `relative` below the testbed's folder, making its folders.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let path = folder.path + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func text(_ name: String) -> String { (try? String(contentsOfFile: folder.path + "/" + name, encoding: .utf8)) ?? "" }

    private func cleanUp() {
        let kill = pids.isEmpty ? "" : "kill \(pids.joined(separator: " ")) 2>/dev/null; sleep 0.3; kill -9 \(pids.joined(separator: " ")) 2>/dev/null; "
        _ = try? Shell.run(kill + namespaces.map { "ip netns delete \($0) 2>/dev/null; " }.joined() + "true")
    }

    deinit {
        cleanUp()
        folder.cleanup()
    }
}
