@testable import GatewayKit
@testable import GatewayBase

/// GatewayKit's position type under a name that does not clash with Testing's `SourceLocation`.
typealias SiteSourceLocation = SourceLocation
