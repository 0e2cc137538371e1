#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The respondd server: one IPv6 UDP socket on port 1001, the two respondd groups joined on every domain bridge,
/// and an answer only to queries the kernel says arrived on one of those bridges.
public final class RespondResponder: Sendable {
    /// The socket could not be set up.
    public struct SetupFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Link-local (neighbours) and site-local (whole mesh) respondd groups.
    public static let groups = ["ff02::2:1001", "ff05::2:1001"]

    /// Linux values Swift's Glibc module does not export.
    private static let ipv6RecvPacketInfo: Int32 = 49, ipv6PacketInfo: Int32 = 50, ipv6JoinGroup: Int32 = 20

    private let socket: Int32
    private let config: RespondConfig
    private let builder: RespondAnswerBuilder
    private let joined = Mutex<[UInt32: String]>([:])
    private let limiter: Mutex<RateLimiter>
    private let counters = Mutex(RespondCounters())

    /// Opens and binds the socket in the calling thread's network namespace and joins the groups on the bridges present.
    public init(config: RespondConfig, source: any RespondSource) throws {
        self.config = config
        builder = RespondAnswerBuilder(config: config, source: source)
        limiter = Mutex(RateLimiter(burst: config.burst, perSecond: config.perSecond))
        socket = Glibc.socket(AF_INET6, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw SetupFailed(description: "socket: \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        setsockopt(socket, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, size)
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, size)
        setsockopt(socket, Int32(IPPROTO_IPV6), Self.ipv6RecvPacketInfo, &on, size)
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = config.port.bigEndian
        address.sin6_addr = in6addr_any
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            throw SetupFailed(description: "bind [::]:\(config.port): \(reason)")
        }
        rejoin()
    }

    deinit { Glibc.close(socket) }

    /// The socket the agent's run loop polls.
    public var descriptor: Int32 { socket }

    /// Joins the groups on bridges that appeared or were recreated since the last call; the agent calls it now and then.
    public func rejoin() {
        for domain in config.domains {
            let index = if_nametoindex(domain.bridge)
            guard index != 0, joined.withLock({ $0[index] }) == nil else { continue }
            var allJoined = true
            for group in Self.groups {
                var request = ipv6_mreq()
                guard inet_pton(AF_INET6, group, &request.ipv6mr_multiaddr) == 1 else { continue }
                request.ipv6mr_interface = index
                if setsockopt(socket, Int32(IPPROTO_IPV6), Self.ipv6JoinGroup, &request, socklen_t(MemoryLayout<ipv6_mreq>.size)) != 0
                    && errno != EADDRINUSE { allJoined = false }
            }
            if allJoined { joined.withLock { $0[index] = domain.code } }
        }
    }

    /// Queries answered and refused so far, for the metrics file.
    public var statistics: RespondCounters { counters.withLock { $0 } }

    /// Waits up to `timeoutMilliseconds` for one datagram and answers it if it deserves an answer.
    public func serveOnce(timeoutMilliseconds: Int32) {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return }
        guard let query = receive() else { return }
        handle(query)
    }

    /// Serves until `shouldStop` says so, checking it at least every `tick` milliseconds.
    public func serve(tick: Int32 = 500, shouldStop: () -> Bool) {
        while !shouldStop() { serveOnce(timeoutMilliseconds: tick) }
    }

    /// One datagram as the kernel delivered it: payload, sender and the interface it came in on.
    struct Query {
        var payload: [UInt8]
        var sender: sockaddr_in6
        var interfaceIndex: UInt32?
    }

    private func receive() -> Query? {
        var payload = [UInt8](repeating: 0, count: RespondRequest.maximumLength + 1)
        var control = [UInt8](repeating: 0, count: 256)
        var sender = sockaddr_in6()
        var received = 0
        var controlLength = 0
        payload.withUnsafeMutableBytes { payloadBuffer in
            control.withUnsafeMutableBytes { controlBuffer in
                withUnsafeMutablePointer(to: &sender) { senderPointer in
                    var vector = iovec(iov_base: payloadBuffer.baseAddress, iov_len: payloadBuffer.count)
                    withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr()
                        message.msg_name = UnsafeMutableRawPointer(senderPointer)
                        message.msg_namelen = socklen_t(MemoryLayout<sockaddr_in6>.size)
                        message.msg_iov = vectorPointer
                        message.msg_iovlen = 1
                        message.msg_control = controlBuffer.baseAddress
                        message.msg_controllen = controlBuffer.count
                        received = recvmsg(socket, &message, Int32(MSG_DONTWAIT))
                        controlLength = Int(message.msg_controllen)
                        if message.msg_flags & Int32(MSG_TRUNC) != 0 { received = -1 }
                    }
                }
            }
        }
        guard received > 0 else { return nil }
        return Query(payload: Array(payload.prefix(received)), sender: sender,
                     interfaceIndex: Self.arrivalInterface(control: Array(control.prefix(controlLength))))
    }

    /// The ifindex of the IPV6_PKTINFO control message, walking the cmsg list by hand (CMSG_* are C macros).
    static func arrivalInterface(control: [UInt8]) -> UInt32? {
        let headerSize = MemoryLayout<Int>.size + 8
        var offset = 0
        while offset + headerSize <= control.count {
            let length = control[offset..<offset + MemoryLayout<Int>.size].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            let level = control[offset + 8..<offset + 12].enumerated().reduce(Int32(0)) { $0 | Int32($1.element) << (8 * Int32($1.offset)) }
            let type = control[offset + 12..<offset + 16].enumerated().reduce(Int32(0)) { $0 | Int32($1.element) << (8 * Int32($1.offset)) }
            guard length >= headerSize, offset + length <= control.count else { return nil }
            if level == Int32(IPPROTO_IPV6), type == ipv6PacketInfo, length >= headerSize + 20 {
                let start = offset + headerSize + 16
                return control[start..<start + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            }
            offset += (length + 7) & ~7
        }
        return nil
    }

    private func handle(_ query: Query) {
        guard let index = query.interfaceIndex, let code = joined.withLock({ $0[index] }),
              let domain = config.domains.first(where: { $0.code == code }) else {
            counters.withLock { $0.ignored += 1 }
            return
        }
        guard let request = RespondRequest(datagram: query.payload) else {
            counters.withLock { $0.ignored += 1 }
            return
        }
        let sourceKey = withUnsafeBytes(of: query.sender.sin6_addr) { Array($0) }
        let now = Self.monotonicSeconds()
        guard limiter.withLock({ $0.allow(sourceKey, now: now) }) else {
            counters.withLock { $0.limited[domain.code, default: 0] += 1 }
            return
        }
        guard let answer = try? builder.datagram(for: request, domain: domain) else { return }
        var destination = query.sender
        let sent = answer.withUnsafeBytes { bytes in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        if sent == answer.count { counters.withLock { $0.answered[domain.code, default: 0] += 1 } }
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// What the responder did with the queries it got, per domain.
public struct RespondCounters: Sendable, Equatable {
    public var answered: [String: Int] = [:]
    public var limited: [String: Int] = [:]
    /// Datagrams from outside the mesh bridges or not a query.
    public var ignored = 0

    public init(answered: [String: Int] = [:], limited: [String: Int] = [:], ignored: Int = 0) {
        self.answered = answered
        self.limited = limited
        self.ignored = ignored
    }
}
