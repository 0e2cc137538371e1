import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP server on loopback for probe tests: answers every request with `204 No Content` while `answering`,
/// and otherwise accepts and hangs up without a status line (a dead upstream behind a live socket).
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: UInt16
    let address: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var _answering = true
    private var _requests = 0
    /// Signalled when the serving thread has left `serve`, so `stop` closes the socket only then: closed earlier, its
    /// descriptor number can go to the next test's server before a late-starting thread calls accept on it, and this
    /// server would answer that one's connections (a full run saw 0 requests counted and hang-ups answered).
    private let finished = DispatchSemaphore(value: 0)

    var answering: Bool {
        get { lock.withLock { _answering } }
        set { lock.withLock { _answering = newValue } }
    }
    var requests: Int { lock.withLock { _requests } }

    init(ipv6: Bool = false) throws {
        address = ipv6 ? "::1" : "127.0.0.1"
        let descriptor = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.descriptor = descriptor
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var bound: Int32
        if ipv6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_addr = in6addr_loopback
            bound = withUnsafePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_addr = in_addr(s_addr: UInt32(0x7f000001).bigEndian)
            bound = withUnsafePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        let port = withUnsafeBytes(of: storage) { bytes in UInt16(bytes[2]) << 8 | UInt16(bytes[3]) }
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    private func serve() {
        defer { finished.signal() }
        while true {
            let client = accept(descriptor, nil, nil)
            if client < 0 { if errno == EINTR { continue } else { return } }
            lock.withLock { _requests += 1 }
            var buffer = [UInt8](repeating: 0, count: 2048)
            _ = recv(client, &buffer, buffer.count, 0)
            if answering {
                let answer = "HTTP/1.0 204 No Content\r\nConnection: close\r\n\r\n"
                _ = answer.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            }
            close(client)
        }
    }

    /// Shuts the socket down (a blocked or later accept then fails), waits for the thread to leave, then closes it.
    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        finished.wait()
        close(descriptor)
    }
}
