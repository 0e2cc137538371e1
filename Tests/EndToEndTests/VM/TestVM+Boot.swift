import Foundation
import TestSupport
@testable import GatewayKit
#if canImport(Glibc)
import Glibc
#endif

extension TestVM {
    static let qemu = "/usr/bin/qemu-system-x86_64"
    /// Where each VM's console log, ssh_config and known_hosts live; kept after the run for diagnosis.
    static let workRoot = "/tmp/gwsetup-e2e"

    /// Boots `spec` from `image` under software emulation and returns once root can log in over SSH (with the keys
    /// that identify a gateway renewed, if the image is shared by several guests); kills qemu on any failure.
    static func boot(_ spec: VMSpec, image: VMImage) async throws -> TestVM {
        guard FileManager.default.isExecutableFile(atPath: qemu) else { throw VMError.launchFailed(qemu) }
        try FileManager.default.createDirectory(atPath: workRoot, withIntermediateDirectories: true)
        pruneOldWorkDirectories()
        let template = "\(workRoot)/\(spec.name)-XXXXXX"
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else { throw VMError.launchFailed("mkdtemp \(template)") }
        let workDirectory = String(cString: made)

        if let overlay = spec.overlay, !FileManager.default.fileExists(atPath: overlay) {
            try await createOverlay(overlay, over: image)
        }
        // A free port can be taken between asking and qemu's bind; qemu then exits at once and we retry.
        for attempt in 1...3 {
            let started = ContinuousClock.now
            let vm = try start(spec, image: image, sshPort: LoopbackPort.free(.tcp), workDirectory: workDirectory)
            do {
                try await vm.waitForSSH(timeout: spec.bootTimeout)
                FileHandle.standardError.write(Data("VM \(spec.name): SSH after \(ContinuousClock.now - started)\n".utf8))
                if image.sharesAnIdentity && spec.overlay == nil { try await vm.renewIdentity() }
                return vm
            } catch let error as VMError {
                vm.stop()
                let log = (try? String(contentsOfFile: vm.qemuLog, encoding: .utf8)) ?? ""
                if case .qemuExited = error, log.contains("Could not set up host forwarding rule"), attempt < 3 { continue }
                throw error
            } catch {
                vm.stop()
                throw error
            }
        }
        preconditionFailure("unreachable: the last attempt returns or throws")
    }

    /// Writes the ssh files, starts qemu and a watchdog that kills it should this test process die first.
    private static func start(_ spec: VMSpec, image: VMImage, sshPort: Int, workDirectory: String) throws -> TestVM {
        let hostKey = try String(contentsOfFile: image.hostPublicKey, encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(sshPort) \(hostKey)\n\(spec.name) \(hostKey)\n"
            .write(toFile: workDirectory + "/known_hosts", atomically: true, encoding: .utf8)
        try """
            Host \(spec.name) 127.0.0.1
              HostName 127.0.0.1
              Port \(sshPort)
              User root
              HostKeyAlias \(spec.name)
              IdentityFile \(image.privateKey)
              IdentitiesOnly yes
              UserKnownHostsFile \(workDirectory)/known_hosts
              StrictHostKeyChecking yes
              BatchMode yes
              LogLevel ERROR

            """.write(toFile: workDirectory + "/ssh_config", atomically: true, encoding: .utf8)

        let forwards = [PortForward.tcp(host: sshPort, guest: 22)] + spec.forwards
        // One vCPU per guest: VMBudget admits three guests on two cores, and a second TCG vCPU only adds contention.
        // qemu64, not max: with max, glibc picks AVX2 string and memory routines that TCG emulates slowly, and a boot
        // to SSH took 95 s against 80 s (Tests/vm/README.md). Every boot gets its own machine-id, so overlays of one
        // image are not clones (MACs, DUIDs, journal).
        let (disk, format) = spec.overlay.map { ($0, "qcow2") } ?? (image.disk, image.diskFormat)
        let arguments = [
            "-name", spec.name, "-accel", "tcg", "-cpu", "qemu64", "-m", String(spec.memoryMiB), "-smp", "1",
            "-display", "none", "-vga", "none", "-monitor", "none",
            "-serial", "file:\(workDirectory)/console.log",
            "-kernel", image.kernel, "-initrd", image.initrd,
            "-append", "root=/dev/vda rw console=ttyS0 net.ifnames=0 systemd.machine_id=\(Self.newMachineID())",
            // cache=unsafe: a guest's flushes (dpkg syncs every file it unpacks) go no further than the host's page
            // cache; the disk is a throwaway snapshot, or an image that powerOff() leaves only after a clean shutdown.
            "-drive", "file=\(disk),format=\(format),if=virtio,cache=unsafe",
        ] + (spec.overlay != nil ? [] : ["-snapshot"]) + [
            "-netdev", (["user", "id=n0"] + forwards.map(\.description)).joined(separator: ","),
            "-device", "virtio-net-pci,netdev=n0",
            "-device", "virtio-rng-pci",
        ]
        let pid = try ChildProcess.spawn(qemu, arguments, outputFile: workDirectory + "/qemu.log")
        let watchdog = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
            + "[ \"$(cat /proc/$2/comm 2>/dev/null)\" = qemu-system-x86 ] && kill -9 \"$2\""
        let watchdogPID = try ChildProcess.spawn(
            "/bin/sh", ["-c", watchdog, "gwsetup-vm-watchdog", String(getpid()), String(pid)],
            outputFile: "/dev/null", newSession: true)
        return TestVM(name: spec.name, image: image, sshPort: sshPort, forwards: spec.forwards, pid: pid,
                      watchdogPID: watchdogPID, workDirectory: workDirectory)
    }

    /// A qcow2 file whose backing file is `image`'s disk: a guest writes there and the cached image stays as it was built.
    static func createOverlay(_ path: String, over image: VMImage) async throws {
        let outcome = try await ProcessRunner.run(
            executable: "/usr/bin/qemu-img",
            arguments: ["create", "-q", "-f", "qcow2", "-F", image.diskFormat, "-b", image.disk, path], stdin: Data(), timeout: .seconds(120))
        guard outcome.status == 0 else {
            throw VMError.launchFailed("qemu-img create \(path): \(String(decoding: outcome.stderr, as: UTF8.self))")
        }
    }

    /// 32 random hex digits, the form systemd takes for `systemd.machine_id=`.
    static func newMachineID() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Polls an SSH login until it works, qemu exits, or `timeout` passes.
    func waitForSSH(timeout: Duration) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if let status = ChildProcess.exitStatus(pid) {
                throw VMError.qemuExited(name: name, status: status, detail: Self.tail(of: qemuLog, lines: 5))
            }
            let probe = try await ProcessRunner.run(
                executable: "/usr/bin/ssh",
                arguments: ["-F", sshConfigFile, "-o", "ConnectTimeout=10", sshHostAlias, "true"],
                stdin: Data(), timeout: .seconds(30))
            if probe.status == 0 { return }
            guard ContinuousClock.now < deadline else {
                throw VMError.sshNeverAnswered(name: name, waited: timeout, consoleTail: consoleTail(), consoleLog: consoleLog)
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Removes work directories from runs more than a day old, so logs stay for diagnosis but do not pile up.
    private static func pruneOldWorkDirectories() {
        let manager = FileManager.default
        let cutoff = Date().addingTimeInterval(-86_400)
        for entry in (try? manager.contentsOfDirectory(atPath: workRoot)) ?? [] {
            let path = "\(workRoot)/\(entry)"
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff {
                try? manager.removeItem(atPath: path)
            }
        }
    }

    /// Kills qemu by its PID (then the watchdog) and reaps both; safe to call more than once.
    func stop() {
        ChildProcess.terminate(pid)
        ChildProcess.terminate(watchdogPID, group: true, grace: .zero)
    }
}
