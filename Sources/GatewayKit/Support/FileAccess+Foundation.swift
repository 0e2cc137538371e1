import Foundation
import GatewayBase

extension FileAccess {
    /// Any error of a file operation in a few words, NSErrors included (Foundation still throws some, and the CLI
    /// sees them bridged): the underlying errno when there is one, else the Cocoa code's meaning. It lives here,
    /// not in GatewayBase, because NSError is Foundation's, which the agent must not link.
    public static func reason(for error: any Error, reading: Bool) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return reason(errno: Int32(nsError.code), reading: reading) }
        if let posix = error as? POSIXError { return reason(errno: posix.code.rawValue, reading: reading) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error {
            let underlying = underlying as NSError
            if underlying.domain == NSPOSIXErrorDomain { return reason(errno: Int32(underlying.code), reading: reading) }
        }
        guard nsError.domain == NSCocoaErrorDomain else { return reading ? "it cannot be read" : "it cannot be written" }
        return reason(cocoaCode: nsError.code, reading: reading)
    }
}
