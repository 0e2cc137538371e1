/// Why a VM could not be built, booted or reached; each says where to look (script output, console log).
enum VMError: Error, CustomStringConvertible {
    case imageBuildFailed(kind: VMImage.Kind, detail: String)
    case launchFailed(String)
    case qemuExited(name: String, status: Int32, detail: String)
    case sshNeverAnswered(name: String, waited: Duration, consoleTail: String, consoleLog: String)
    case commandFailed(name: String, command: String, result: String)

    var description: String {
        switch self {
        case .imageBuildFailed(let kind, let detail):
            kind == .convergedGateway
                ? "converging the gateway VM image failed (ConvergedGatewayImage): \(detail)"
                : "building the \(kind.rawValue) VM image failed (Tests/vm/build-image.sh \(kind.rawValue)): \(detail)"
        case .launchFailed(let what):
            "cannot start \(what): run Tests/setup.sh as root"
        case .qemuExited(let name, let status, let detail):
            "qemu for VM \(name) exited with status \(status) before SSH answered: \(detail)"
        case .sshNeverAnswered(let name, let waited, let tail, let log):
            "VM \(name): no SSH login within \(waited) (console log \(log)); console ends with:\n\(tail)"
        case .commandFailed(let name, let command, let result):
            "VM \(name): `\(command)` failed: \(result)"
        }
    }
}
