@testable import GatewayKit

/// GatewayKit's position type under a name that does not clash with Testing's `SourceLocation`.
typealias SiteSourceLocation = SourceLocation
