// FoundationEssentials, not Foundation: the agent links this module, and Foundation would carry ICU into its binary.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A file the command could not read or write, worded for an admin (`PATH: cannot read (no such file)`),
/// never Foundation's `NSCocoaErrorDomain` text.
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// What was tried, as a verb phrase: "read", "write", "create the folder".
    public let action: String
    public let reason: String

    public init(path: String, action: String, reason: String) {
        self.path = path
        self.action = action
        self.reason = reason
    }

    public var description: String { "\(Echo.inline(path, limit: FileAccess.pathLimit)): cannot \(action) (\(reason))" }
}

/// Reads and writes the files a command names, reading at most `readLimit` bytes so `/dev/zero` cannot hang it.
public enum FileAccess {
    /// Characters of a path kept in a message; paths are the admin's own, but a flag can carry anything.
    public static let pathLimit = 200

    /// Larger than any site, Gluon, plan or ruleset file a gateway has (an iptables-save of 100,000 chains is ~3 MB).
    public static let readLimit = 64 << 20

    /// The whole file; a directory, a missing file or one over `limit` bytes is a `FileAccessError`.
    public static func data(at path: String, limit: Int = readLimit) throws(FileAccessError) -> Data {
        func refuse(_ reason: String) -> FileAccessError { FileAccessError(path: path, action: "read", reason: reason) }
        var info = stat()
        guard stat(path, &info) == 0 else { throw refuse(reason(errno: errno, reading: true)) }
        // Devices are allowed (`--rules /dev/null`); the limit below stops an endless one such as /dev/zero.
        if info.st_mode & S_IFMT == S_IFDIR { throw refuse("it is a directory") }
        if Int(info.st_size) > limit { throw refuse("larger than \(limit >> 20) MiB") }
        // Non-blocking open: a FIFO nobody writes to reads as empty instead of hanging the command.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw refuse(reason(errno: errno, reading: true)) }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw refuse(reason(errno: errno, reading: true))
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[..<count])
            if data.count > limit { throw refuse("larger than \(limit >> 20) MiB") }
        }
    }

    /// The file as UTF-8 text.
    public static func text(at path: String, limit: Int = readLimit) throws(FileAccessError) -> String {
        let data = try data(at: path, limit: limit)
        do {
            return try decodeUTF8(data)
        } catch {
            throw FileAccessError(path: path, action: "read", reason: "line \(error.line), column \(error.column) is not UTF-8 text")
        }
    }

    /// Where a file stops being UTF-8, so the error can point at the byte instead of at the whole file.
    public struct InvalidUTF8: Error, Sendable, Equatable {
        public let line: Int
        public let column: Int
    }

    /// The bytes as text, or the 1-based line and column (in characters) of the first byte that is not UTF-8.
    public static func decodeUTF8(_ data: Data) throws(InvalidUTF8) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var (line, column) = (1, 1)
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if Unicode.UTF8.decode(encoded) == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
            case .error:
                throw InvalidUTF8(line: line, column: column)
            case .emptyInput:
                throw InvalidUTF8(line: line, column: column)
            }
        }
    }

    /// Replaces the file atomically (a temporary file renamed over it).
    public static func write(_ data: Data, to path: String) throws(FileAccessError) {
        try refuseControlCharacters(in: path, action: "write")
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw FileAccessError(path: path, action: "write", reason: "it is a directory")
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileAccessError(path: path, action: "write", reason: reason(thrown: error, reading: false))
        }
    }

    public static func write(_ text: String, to path: String) throws(FileAccessError) {
        try write(Data(text.utf8), to: path)
    }

    /// Creates the folder and its parents.
    public static func createDirectory(at path: String) throws(FileAccessError) {
        try refuseControlCharacters(in: path, action: "create the folder")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileAccessError(path: path, action: "create the folder", reason: reason(thrown: error, reading: false))
        }
    }

    /// A file named with a newline or an escape sequence is legal on Linux, but no admin means to create one.
    private static func refuseControlCharacters(in path: String, action: String) throws(FileAccessError) {
        if path.unicodeScalars.contains(where: Echo.isControl) {
            throw FileAccessError(path: path, action: action, reason: "the path contains a control character")
        }
    }

    /// An error of FileManager or Data (a CocoaError, usually over a POSIXError) in a few words: the underlying errno
    /// when there is one, else the Cocoa code's meaning. GatewayKit's `reason(for:)` also reads bridged NSErrors.
    static func reason(thrown error: any Error, reading: Bool) -> String {
        if let posix = error as? POSIXError { return reason(errno: posix.code.rawValue, reading: reading) }
        guard let cocoa = error as? CocoaError else { return reading ? "it cannot be read" : "it cannot be written" }
        if let underlying = cocoa.underlying as? POSIXError { return reason(errno: underlying.code.rawValue, reading: reading) }
        return reason(cocoaCode: cocoa.code.rawValue, reading: reading)
    }

    /// A CocoaError code in a few words.
    public static func reason(cocoaCode code: Int, reading: Bool) -> String {
        switch code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return reading ? "no such file" : "its folder does not exist"
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: return "permission denied"
        case CocoaError.fileReadInapplicableStringEncoding.rawValue: return "it is not UTF-8 text"
        case CocoaError.fileWriteOutOfSpace.rawValue: return "no space left on the device"
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return "read-only file system"
        case CocoaError.fileWriteFileExists.rawValue: return "something else is in the way"
        default: return reading ? "it cannot be read" : "it cannot be written"
        }
    }

    /// An errno in a few words; the C library's own text for the rare rest (it is plain and one line).
    public static func reason(errno code: Int32, reading: Bool) -> String {
        switch code {
        case ENOENT: return reading ? "no such file" : "its folder does not exist"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a directory"
        case ENOTDIR: return "a part of the path is not a directory"
        case ENOSPC, EDQUOT: return "no space left on the device"
        case EROFS: return "read-only file system"
        case ELOOP: return "too many symbolic links"
        case ENAMETOOLONG: return "the path is too long"
        case EEXIST: return "something else is in the way"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
