/// What to boot: an image kind, a name (the ssh alias and log directory prefix) and extra ports to forward.
struct VMSpec: Sendable, Hashable {
    var kind: VMImage.Kind
    var name: String
    /// Beyond SSH, which qemu always forwards from a free loopback port.
    var forwards: [PortForward]
    var memoryMiB: Int
    /// How long to wait for the first SSH login; software emulation on a busy 2-core machine is slow.
    var bootTimeout: Duration
    /// A qcow2 overlay of the image's disk that keeps the guest's writes (created when missing), so a powered-off guest
    /// can become a cached image; nil boots a throwaway snapshot of the image.
    var overlay: String?

    init(_ kind: VMImage.Kind, name: String? = nil, forwards: [PortForward] = [], memoryMiB: Int = 1024,
         bootTimeout: Duration = .seconds(600), overlay: String? = nil) {
        self.kind = kind
        self.overlay = overlay
        self.name = name ?? kind.rawValue
        self.forwards = forwards
        self.memoryMiB = memoryMiB
        self.bootTimeout = bootTimeout
    }

    /// A fresh droplet, with `forwards` (e.g. `.udp(fastdPort)`) reachable on the host's loopback.
    static func gateway(name: String = "gateway", forwards: [PortForward] = [], overlay: String? = nil) -> VMSpec {
        VMSpec(.gateway, name: name, forwards: forwards, overlay: overlay)
    }

    /// A gateway already converged to vm-site.yaml (an overlay of the cached image, with its own machine-id, SSH host
    /// keys and fastd secrets), for every scenario that does not test a first apply.
    static func convergedGateway(name: String = "gateway", forwards: [PortForward] = []) -> VMSpec {
        VMSpec(.convergedGateway, name: name, forwards: forwards)
    }

    /// A mesh router behind qemu's NAT; it reaches the host (and the gateway's forwards) at 10.0.2.2.
    static func router(name: String = "router", forwards: [PortForward] = []) -> VMSpec {
        VMSpec(.router, name: name, forwards: forwards)
    }
}
