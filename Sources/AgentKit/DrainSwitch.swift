#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatewayBase
#if canImport(Glibc)
import Glibc
#endif

/// Takes the gateway out of service and back: batman-adv's gw_mode, the DHCP server and which radvd variant runs.
/// It switches only between what apply installed; it writes no configuration of its own, only the drained marker.
public struct DrainSwitch: Sendable {
    public var actions: DrainActions
    public var commands: any CommandRunner

    public init(actions: DrainActions, commands: any CommandRunner) {
        self.actions = actions
        self.commands = commands
    }

    /// The marker first, so an apply running meanwhile already treats the gateway as drained; returns the failed commands.
    public func drain() -> [String] {
        var failed: [String] = []
        if !writeMarker() { failed.append("write \(actions.marker)") }
        for batman in actions.batman { failed += run(["batctl", "meshif", batman.interface, "gw_mode", "off"]) }
        if let unit = actions.dhcpUnit { failed += run(["systemctl", "stop", "--", unit]) }
        // The drain unit conflicts with the normal one: starting it stops radvd, whose last RAs already say lifetime 0.
        if let unit = actions.radvdDrainUnit { failed += run(["systemctl", "start", "--", unit]) }
        return failed
    }

    /// Everything back on, the marker last, so apply never sees a half-served gateway as finished.
    public func undrain() -> [String] {
        var failed: [String] = []
        for batman in actions.batman { failed += run(["batctl", "meshif", batman.interface, "gw_mode", "server", batman.bandwidth]) }
        if let unit = actions.dhcpUnit { failed += run(["systemctl", "start", "--", unit]) }
        if let unit = actions.radvdUnit { failed += run(["systemctl", "start", "--", unit]) }
        if unlink(actions.marker) != 0, errno != ENOENT { failed.append("remove \(actions.marker)") }
        return failed
    }

    public var maintenanceRequested: Bool { access(actions.maintenanceMarker, F_OK) == 0 }
    public var markerPresent: Bool { access(actions.marker, F_OK) == 0 }

    private func writeMarker() -> Bool {
        let folder = String(actions.marker[..<(actions.marker.lastIndex(of: "/") ?? actions.marker.startIndex)])
        if !folder.isEmpty { try? FileAccess.createDirectory(at: folder) }
        return (try? FileAccess.write(Data(), to: actions.marker)) != nil
    }

    private func run(_ arguments: [String]) -> [String] {
        commands.run(arguments) == 0 ? [] : [arguments.joined(separator: " ")]
    }
}
