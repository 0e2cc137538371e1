import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One qemu `hostfwd`: a port on the host's loopback that reaches a port inside the guest.
struct PortForward: Sendable, Hashable, CustomStringConvertible {
    enum Proto: String, Sendable, Hashable {
        case tcp
        case udp
    }

    var proto: Proto
    var hostPort: Int
    var guestPort: Int

    /// The same UDP port on both sides, as a gateway's fastd needs: peers dial the port the gateway listens on.
    static func udp(_ port: Int) -> PortForward { PortForward(proto: .udp, hostPort: port, guestPort: port) }
    /// Another host port for the same guest port, for a second gateway whose fastd listens where the first one's does.
    static func udp(host: Int, guest: Int) -> PortForward { PortForward(proto: .udp, hostPort: host, guestPort: guest) }
    static func tcp(host: Int, guest: Int) -> PortForward { PortForward(proto: .tcp, hostPort: host, guestPort: guest) }

    /// qemu's `-netdev user` syntax: `hostfwd=udp:127.0.0.1:P-:P`.
    var description: String { "hostfwd=\(proto.rawValue):127.0.0.1:\(hostPort)-:\(guestPort)" }
}

/// Loopback ports nobody is bound to right now, for forwards and host-side test servers.
enum LoopbackPort {
    /// Asks the kernel for an unused port; a race with another binder is caught when qemu fails to bind.
    static func free(_ proto: PortForward.Proto = .tcp) -> Int {
        let fd = socket(AF_INET, proto == .tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue), 0)
        precondition(fd >= 0, "socket(): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        precondition(bound, "bind(127.0.0.1:0): \(String(cString: strerror(errno)))")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
