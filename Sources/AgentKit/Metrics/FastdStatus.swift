import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// fastd's status socket: connect, read one JSON document to EOF. A peer is connected when its `connection` is not null.
public struct FastdStatus: Sendable, Equatable {
    public var peersConnected: Int
    public var peersKnown: Int

    private struct Document: Decodable {
        struct Peer: Decodable {
            let connected: Bool
            enum CodingKeys: String, CodingKey { case connection }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                connected = try container.contains(.connection) && !container.decodeNil(forKey: .connection)
            }
        }
        let peers: [String: Peer]
    }

    /// Parses the socket's JSON; nil when it is not fastd's status document.
    public init?(json: String) {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(json.utf8)) else { return nil }
        peersKnown = document.peers.count
        peersConnected = document.peers.values.filter(\.connected).count
    }

    /// Reads `path`; nil when fastd is not running or the socket says nothing useful.
    public static func read(socket path: String, limit: Int = 8 << 20) -> FastdStatus? {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in pathBytes.enumerated() { buffer[index] = byte }
        }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += chunk.prefix(count)
            guard bytes.count <= limit else { return nil }
        }
        return FastdStatus(json: String(decoding: bytes, as: UTF8.self))
    }
}
