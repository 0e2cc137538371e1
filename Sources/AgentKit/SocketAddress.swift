import GatewayBase
#if canImport(Glibc)
import Glibc
#endif

/// A literal address and port as the kernel wants it, built from GatewayBase's parsed address (never from text).
struct SocketAddress {
    var storage = sockaddr_storage()
    let length: socklen_t
    let family: Int32

    init(_ address: IPAddress, port: UInt16 = 0) {
        switch address {
        case .v4(let v4):
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = port.bigEndian
            socketAddress.sin_addr = in_addr(s_addr: v4.value.bigEndian)
            storage = Self.storage(of: socketAddress)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        case .v6(let v6):
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = port.bigEndian
            var bytes = [UInt8]()
            for word in v6.words { bytes += [UInt8(word >> 8), UInt8(word & 0xff)] }
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: bytes) }
            storage = Self.storage(of: socketAddress)
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        }
    }

    private static func storage<Address>(of address: Address) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withUnsafeBytes(of: address) { source in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
        }
        return storage
    }

    /// Runs `body` with the address as the `sockaddr` pointer connect and sendto take.
    func withPointer<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafeBytes(of: storage) { body($0.baseAddress!.assumingMemoryBound(to: sockaddr.self), length) }
    }
}
