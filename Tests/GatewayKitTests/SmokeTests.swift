import Testing
@testable import GatewayKit

@Test func versionIsSet() { #expect(!GatewayKit.version.isEmpty) }
