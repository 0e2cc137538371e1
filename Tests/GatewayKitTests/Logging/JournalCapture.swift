import Foundation
@testable import GatewayKit

/// Catches what libsystemd sends to journald, by standing in for journald's socket inside a private namespace.
///
/// `sd_journal_sendv` always sends to /run/systemd/journal/socket and returns 0 whether or not anyone listens,
/// so its return value proves nothing. Here a dedicated thread unshares its mount namespace, makes every mount
/// private (nothing propagates back to the machine), mounts a tmpfs over /run, binds a datagram socket at
/// /run/systemd/journal/socket and runs `body`: the production code path, byte for byte, into a socket we read.
/// The namespace belongs to that thread alone and ends with it.
enum JournalCapture {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The fields of every datagram `body` caused, in order.
    static func run(_ body: @escaping @Sendable () -> Void) async throws -> [[String: String]] {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try captureInPrivateNamespace(body) })
            }
            thread.start()
        }
    }

    private static let cloneNewNS: Int32 = 0x0002_0000  // CLONE_NEWNS, hidden from Swift's Glibc module
    private static let msRec: UInt = 16384  // MS_REC
    private static let msPrivate: UInt = 1 << 18  // MS_PRIVATE

    /// Runs `executable` inside the private namespace and collects its datagrams while it runs: a child that logs
    /// more than the socket queue holds would otherwise block on a reader that only starts after it exits.
    static func runProcess(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, datagrams: [[String: String]]) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    var status: Int32 = -1
                    let datagrams = try captureInPrivateNamespace { drain in
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: executable)
                        process.arguments = arguments
                        process.standardOutput = FileHandle.nullDevice
                        process.standardError = FileHandle.nullDevice
                        try process.run()
                        while process.isRunning {
                            try drain()
                            usleep(20_000)
                        }
                        status = process.terminationStatus
                    }
                    return (status, datagrams)
                })
            }
            thread.start()
        }
    }

    private static func captureInPrivateNamespace(_ body: () -> Void) throws -> [[String: String]] {
        try captureInPrivateNamespace { (_: () throws -> Void) in body() }
    }

    private static func captureInPrivateNamespace(_ body: (_ drain: () throws -> Void) throws -> Void) throws -> [[String: String]] {
        typealias Unshare = @convention(c) (Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "unshare") else {
            throw Failure(description: "unshare(2) not found in libc")
        }
        let unshare = unsafeBitCast(symbol, to: Unshare.self)
        guard unshare(cloneNewNS) == 0 else { throw Failure(description: "unshare(CLONE_NEWNS): \(String(cString: strerror(errno)))") }
        // Without this, the tmpfs below could propagate to the machine's own /run.
        guard mount("none", "/", nil, msRec | msPrivate, nil) == 0 else {
            throw Failure(description: "making mounts private: \(String(cString: strerror(errno)))")
        }
        guard mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") == 0 else {
            throw Failure(description: "tmpfs on /run: \(String(cString: strerror(errno)))")
        }
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)

        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(LoggingSetup.journalSocketPath.utf8CString)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.map { UInt8(bitPattern: $0) })
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "bind: \(String(cString: strerror(errno)))") }

        var datagrams: [[String: String]] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        func drain() throws {
            while true {
                let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                guard count > 0 else { break }
                datagrams.append(try parseNativeProtocol(Array(buffer[0..<count])))
            }
        }
        try body(drain)
        try drain()
        return datagrams
    }

    /// journald's native format: `NAME=value\n`, or `NAME\n` + 64-bit little-endian length + bytes + `\n`.
    static func parseNativeProtocol(_ bytes: [UInt8]) throws -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) else {
                throw Failure(description: "truncated field at byte \(index)")
            }
            let name = String(decoding: bytes[index..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                let valueEnd = bytes[(end + 1)...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                fields[name] = String(decoding: bytes[(end + 1)..<valueEnd], as: UTF8.self)
                index = valueEnd + 1
            } else {
                guard end + 9 <= bytes.count else { throw Failure(description: "truncated length of \(name)") }
                let length = bytes[(end + 1)..<(end + 9)].reversed().reduce(0) { $0 << 8 | Int($1) }
                let start = end + 9
                guard start + length < bytes.count, bytes[start + length] == UInt8(ascii: "\n") else {
                    throw Failure(description: "bad binary field \(name)")
                }
                fields[name] = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
                index = start + length + 1
            }
        }
        return fields
    }
}
