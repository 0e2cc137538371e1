#if canImport(Glibc)
import Glibc
#endif

/// Where respondd's figures come from: the live host, or fixtures in unit tests.
public protocol RespondSource: Sendable {
    func host() -> HostReadings
    func interface(_ name: String) -> InterfaceReadings
    /// The IPv6 addresses on `interface`, as text.
    func addresses(of interface: String) -> [String]
    func batman(_ mesh: String) -> BatmanTables
    /// batman-adv's module version, fastd's version and the OS release, read once.
    var versions: SoftwareVersions { get }
}

/// The software versions nodeinfo names.
public struct SoftwareVersions: Sendable, Equatable {
    public var batmanAdv: String
    public var fastd: String
    public var system: String

    public init(batmanAdv: String, fastd: String, system: String) {
        self.batmanAdv = batmanAdv
        self.fastd = fastd
        self.system = system
    }

    /// Reads /sys/module/batman_adv/version, `fastd --version` and /etc/debian_version.
    public static func read() -> SoftwareVersions {
        func firstLine(_ text: String?) -> String {
            let line = text?.split(separator: "\n").first.map { String($0.filter { !$0.isWhitespace || $0 == " " }) } ?? ""
            return String(line.prefix(64))
        }
        let fastd = firstLine(CommandOutput.run(["fastd", "--version"])).split(separator: " ").last.map(String.init) ?? ""
        return SoftwareVersions(batmanAdv: firstLine(SmallFile.read("/sys/module/batman_adv/version")), fastd: fastd,
                                system: firstLine(SmallFile.read("/etc/debian_version")))
    }
}

/// The running gateway.
public struct LiveRespondSource: RespondSource {
    public let versions: SoftwareVersions

    public init(versions: SoftwareVersions = .read()) { self.versions = versions }

    public func host() -> HostReadings { .read() }
    public func interface(_ name: String) -> InterfaceReadings { .read(name) }
    public func batman(_ mesh: String) -> BatmanTables { .read(mesh: mesh) }

    public func addresses(of interface: String) -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var result: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let name = entry.pointee.ifa_name, String(cString: name) == interface,
                  let address = entry.pointee.ifa_addr, address.pointee.sa_family == UInt16(AF_INET6) else { continue }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var raw = v6.pointee.sin6_addr
                _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
            }
            result.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return result.sorted()
    }
}
