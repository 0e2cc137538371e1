import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.0 server on the host's loopback serving fixed files; guests reach it at 10.0.2.2 through qemu's NAT.
final class HostHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private let files: [String: Data]
    private let served = Mutex<[String]>([])
    private let stopped = Mutex(false)

    /// Serves `files` (URL path such as "/site.yaml" → body) on a free loopback port until `stop()`.
    init(files: [String: Data]) throws {
        self.files = files
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw VMError.launchFailed("HTTP server socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0 && listen(fd, 16) == 0
            }
        }
        var pipeFDs: [Int32] = [0, 0]
        guard ready, pipe(&pipeFDs) == 0 else {
            close(fd)
            throw VMError.launchFailed("HTTP server on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        listener = fd
        wake = (pipeFDs[0], pipeFDs[1])
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serve() }
        thread.name = "gwsetup-e2e-http"
        thread.start()
    }

    /// `http://10.0.2.2:PORT/path`: the URL a guest uses for `path`.
    func urlFromGuest(_ path: String) -> String { "http://\(TestVM.hostAddressFromGuest):\(port)\(path)" }

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
        defer { [listener, wake.read, wake.write].forEach { _ = close($0) } }
        while true {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
            close(client)
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
