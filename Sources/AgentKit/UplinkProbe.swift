import GatewayBase
#if canImport(Glibc)
import Glibc
#endif

/// One probe in flight: a non-blocking socket the round polls until it answers, fails or the round's time is up.
protocol ProbeAttempt: AnyObject {
    var descriptor: Int32 { get }
    /// poll() events this attempt waits for now.
    var events: Int16 { get }
    /// true: the target answered; false: it cannot anymore; nil: keep waiting.
    func handle(_ revents: Int16) -> Bool?
}

/// A round of probes: every target at once, so a round takes at most `timeout` however many targets there are.
/// It succeeds when any target answers: one unreachable target must not drain every gateway of a community.
public struct ProbeRound: Sendable {
    public var targets: [UplinkConfig.Target]
    public var timeout: Int
    public var interface: String?

    public init(targets: [UplinkConfig.Target], timeout: Int, interface: String?) {
        self.targets = targets
        self.timeout = timeout
        self.interface = interface
    }

    /// Opens every target's socket and sends what can be sent now; the run loop polls the round from there.
    func start() -> ProbeRoundInFlight {
        var attempts: [any ProbeAttempt] = []
        for (index, target) in targets.enumerated() {
            guard let address = IPAddress(target.address) else { continue }
            let attempt: (any ProbeAttempt)? = switch target.kind {
            case .icmp: ICMPEchoAttempt(to: address, sequence: UInt16(truncatingIfNeeded: index), interface: interface)
            case .http: HTTPAttempt(to: address, target: target, interface: interface)
            }
            if let attempt { attempts.append(attempt) }
        }
        return ProbeRoundInFlight(attempts: attempts, deadline: .now + .seconds(timeout))
    }

    /// Blocks for at most `timeout` seconds; true when some target answered. The agent does not call it (its loop
    /// polls the round with everything else); it is the same round for a caller with nothing else to do.
    public func run() -> Bool {
        let round = start()
        while round.verdict == nil {
            let left = AgentRunLoop.milliseconds(round.deadline - ContinuousClock.now)
            if left <= 0 {
                round.expire(now: ContinuousClock.now)
                break
            }
            let requests = round.pollRequests
            var watched = requests.map { pollfd(fd: $0.descriptor, events: $0.events, revents: 0) }
            let ready = poll(&watched, nfds_t(watched.count), Int32(clamping: left))
            if ready < 0, errno != EINTR {
                round.cancel()
                return false
            }
            for entry in watched where entry.revents != 0 { round.handle(entry.fd, revents: entry.revents) }
        }
        return round.verdict ?? false
    }

    /// SO_BINDTODEVICE: the probe leaves through the uplink even when another route would carry it.
    static func bind(_ descriptor: Int32, to interface: String?) -> Bool {
        guard let interface else { return true }
        return interface.withCString { setsockopt(descriptor, SOL_SOCKET, SO_BINDTODEVICE, $0, socklen_t(strlen($0) + 1)) } == 0
    }
}

/// An ICMP echo request: a ping socket where the kernel allows one, a raw socket (root) otherwise.
final class ICMPEchoAttempt: ProbeAttempt {
    let descriptor: Int32
    let events = Int16(POLLIN)
    private let isRaw: Bool
    private let isIPv6: Bool
    private let identifier: UInt16
    private let sequence: UInt16

    init?(to address: IPAddress, sequence: UInt16, interface: String?) {
        let target = SocketAddress(address)
        isIPv6 = target.family == AF_INET6
        let proto = isIPv6 ? Int32(IPPROTO_ICMPV6) : Int32(IPPROTO_ICMP)
        var descriptor = socket(target.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto)
        isRaw = descriptor < 0
        if isRaw { descriptor = socket(target.family, Int32(SOCK_RAW.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto) }
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.sequence = sequence
        // A ping socket's identifier is its port, set by the kernel; a raw socket's is ours to choose.
        identifier = UInt16(truncatingIfNeeded: getpid())
        guard ProbeRound.bind(descriptor, to: interface) else { close(descriptor); return nil }
        var packet: [UInt8] = [isIPv6 ? 128 : 8, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xff), UInt8(sequence >> 8), UInt8(sequence & 0xff)]
        packet += Array("gwsetup-agent uplink probe".utf8)
        if !isIPv6 {
            let sum = Self.checksum(packet)
            packet[2] = UInt8(sum >> 8)
            packet[3] = UInt8(sum & 0xff)
        }
        let sent = target.withPointer { address, length in packet.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, address, length) } }
        guard sent == packet.count else { close(descriptor); return nil }
    }

    func handle(_ revents: Int16) -> Bool? {
        guard revents & Int16(POLLIN) != 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 1500)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : false }
            var reply = buffer[..<count]
            // A raw IPv4 socket hands over the IP header too.
            if isRaw, !isIPv6, let first = reply.first { reply = reply.dropFirst(Int(first & 0x0f) * 4) }
            guard reply.count >= 8 else { continue }
            let start = reply.startIndex
            let type = reply[start]
            let replySequence = UInt16(reply[start + 6]) << 8 | UInt16(reply[start + 7])
            let replyIdentifier = UInt16(reply[start + 4]) << 8 | UInt16(reply[start + 5])
            guard type == (isIPv6 ? 129 : 0), replySequence == sequence, !isRaw || replyIdentifier == identifier else { continue }
            return true
        }
    }

    /// The Internet checksum (RFC 1071) over the ICMP message.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}

/// An HTTP GET: any status line back proves the path through the uplink works, whatever the status.
final class HTTPAttempt: ProbeAttempt {
    let descriptor: Int32
    private(set) var events = Int16(POLLOUT)
    private let request: [UInt8]
    private var received: [UInt8] = []

    init?(to address: IPAddress, target: UplinkConfig.Target, interface: String?) {
        let destination = SocketAddress(address, port: UInt16(target.port ?? 80))
        let descriptor = socket(destination.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        guard ProbeRound.bind(descriptor, to: interface) else { close(descriptor); return nil }
        let host: String
        if let name = target.host { host = name } else if case .v6 = address { host = "[\(address)]" } else { host = address.description }
        request = Array("GET \(target.path ?? "/") HTTP/1.0\r\nHost: \(host)\r\nUser-Agent: gwsetup-agent\r\nConnection: close\r\n\r\n".utf8)
        let started = destination.withPointer { connect(descriptor, $0, $1) }
        guard started == 0 || errno == EINPROGRESS else { close(descriptor); return nil }
    }

    func handle(_ revents: Int16) -> Bool? {
        if events == Int16(POLLOUT) {
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length) == 0, failure == 0 else { return false }
            let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent == request.count else { return false }
            events = Int16(POLLIN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 { return errno == EAGAIN ? nil : false }
        received += buffer[..<count]
        if Self.isStatusLine(received) { return true }
        return count == 0 || received.count >= 12 ? Self.isStatusLine(received) : nil
    }

    /// `HTTP/1.x NNN`: the start of an answer from a web server, not from something that merely accepted a connection.
    static func isStatusLine(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 12, bytes.starts(with: Array("HTTP/1.".utf8)) else { return false }
        return bytes[8] == UInt8(ascii: " ") && bytes[9...11].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
