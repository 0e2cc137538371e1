import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.0 server on the host's loopbacks serving fixed files; guests reach it through qemu's NAT at 10.0.2.2,
/// and over IPv6 at fec0::2 (qemu's user network maps its host address to the host's ::1).
final class HostHTTPServer: Sendable {
    let port: Int
    /// One listening socket on 127.0.0.1 and one on ::1, both on `port`.
    private let listeners: [Int32]
    private let wake: (read: Int32, write: Int32)
    private let files: [String: Data]
    private let served = Mutex<[String]>([])
    private let stopped = Mutex(false)

    /// Serves `files` (URL path such as "/site.yaml" → body) on a free port of both loopbacks until `stop()`.
    init(files: [String: Data]) throws {
        self.files = files
        var bound: (Int32, Int32, Int)? = nil
        // The port is free on 127.0.0.1 when chosen; it may be taken on ::1, so a few tries.
        for _ in 0..<8 where bound == nil {
            let ipv4 = try Self.listen(family: AF_INET, port: 0)
            if let ipv6 = try? Self.listen(family: AF_INET6, port: ipv4.port) {
                bound = (ipv4.fd, ipv6.fd, ipv4.port)
            } else {
                close(ipv4.fd)
            }
        }
        var pipeFDs: [Int32] = [0, 0]
        guard let (ipv4, ipv6, port) = bound, pipe(&pipeFDs) == 0 else {
            throw VMError.launchFailed("HTTP server on 127.0.0.1 and ::1: no port free on both")
        }
        listeners = [ipv4, ipv6]
        wake = (pipeFDs[0], pipeFDs[1])
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.name = "gwsetup-e2e-http"
        thread.start()
    }

    /// A listening TCP socket on the loopback of `family` (`port` 0: any free one) and the port it got.
    private static func listen(family: Int32, port: Int) throws -> (fd: Int32, port: Int) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw VMError.launchFailed("HTTP server socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET6 {
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    address.pointee.sin6_family = sa_family_t(AF_INET6)
                    address.pointee.sin6_addr = in6addr_loopback
                    address.pointee.sin6_port = UInt16(port).bigEndian
                }
            }
        } else {
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    address.pointee.sin_family = sa_family_t(AF_INET)
                    address.pointee.sin_addr.s_addr = inet_addr("127.0.0.1")
                    address.pointee.sin_port = UInt16(port).bigEndian
                }
            }
        }
        let ready = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0 && Glibc.listen(fd, 16) == 0
            }
        }
        guard ready else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw VMError.launchFailed("HTTP server on the loopback: \(reason)")
        }
        let bound = withUnsafePointer(to: &storage) { pointer in
            family == AF_INET6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        return (fd, Int(UInt16(bigEndian: bound)))
    }

    /// `http://10.0.2.2:PORT/path`: the URL a guest uses for `path`.
    func urlFromGuest(_ path: String) -> String { "http://\(TestVM.hostAddressFromGuest):\(port)\(path)" }

    /// `http://[fec0::2]:PORT/path`: the same over IPv6, through qemu's user network.
    func urlFromGuest6(_ path: String) -> String { "http://[\(TestVM.hostAddress6FromGuest)]:\(port)\(path)" }

    /// Request paths served so far, in order (including ones answered 404).
    var requests: [String] { served.withLock { $0 } }

    /// Stops accepting and closes the socket; safe to call more than once.
    func stop() {
        let first = stopped.withLock { wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func serve() {
        defer { (listeners + [wake.read, wake.write]).forEach { _ = close($0) } }
        while true {
            var fds = ([wake.read] + listeners).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { return }
            if fds[0].revents != 0 { return }
            for entry in fds.dropFirst() where entry.revents != 0 {
                let client = accept(entry.fd, nil, nil)
                guard client >= 0 else { continue }
                answer(client)
                close(client)
            }
        }
    }

    /// Reads one request (up to 10 s) and writes the file or a 404.
    private func answer(_ client: Int32) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains(Data("\r\n\r\n".utf8)) && request.count < 65536 {
            var entry = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 10_000) > 0 else { return }
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return }
            request.append(contentsOf: buffer[0..<count])
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        let path = line.count >= 2 ? String(line[1]) : ""
        served.withLock { $0.append(path) }
        let body = files[path]
        let head = body == nil
            ? "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            : "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(body!.count)\r\nConnection: close\r\n\r\n"
        var response = Data(head.utf8)
        if line.first == "GET", let body { response.append(body) }
        response.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = send(client, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return }
                sent += count
            }
        }
    }
}

/// Runs `body` with a host HTTP server serving `files`, and stops it however `body` ends.
func withHostHTTPServer<T>(files: [String: Data], _ body: (HostHTTPServer) async throws -> T) async throws -> T {
    let server = try HostHTTPServer(files: files)
    defer { server.stop() }
    return try await body(server)
}
