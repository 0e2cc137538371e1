/// Paths as the admin typed them, so a report names `rules.v4` rather than a long absolute path on every line.
enum RelativePath {
    /// `path` relative to the folder `base` (both absolute), with `..` where it lies outside; `.` components ignored.
    static func from(_ base: String, to path: String) -> String {
        let baseParts = base.split(separator: "/").filter { $0 != "." }
        let pathParts = path.split(separator: "/").filter { $0 != "." }
        guard !baseParts.contains(".."), !pathParts.contains("..") else { return path }
        var common = 0
        while common < baseParts.count, common < pathParts.count - 1, baseParts[common] == pathParts[common] { common += 1 }
        let ups = Array(repeating: "..", count: baseParts.count - common)
        return (ups + pathParts[common...].map(String.init)).joined(separator: "/")
    }
}
