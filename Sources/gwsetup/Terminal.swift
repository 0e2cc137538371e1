import Foundation
import GatewayKit

/// What stdout gets: colour only on a terminal and never when NO_COLOR is set (https://no-color.org); one JSON form.
enum Terminal {
    static func wantsColors(fileDescriptor: Int32 = STDOUT_FILENO) -> Bool {
        isatty(fileDescriptor) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    /// A command's `--json` product, in the stable form plan files use too, with its schema's version.
    static func printJSON(_ document: some JSONDocument) throws {
        print(String(decoding: try StableJSON.encodeDocument(document), as: UTF8.self))
    }
}
