import Foundation

/// Hides secrets in anything a plan prints: fastd `secret "…";` lines and PEM key blocks.
public enum SecretMask {
    public static func mask(_ text: String) -> String {
        guard text.contains("secret") || text.contains("PRIVATE KEY") else { return text }
        var inKeyBlock = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.contains("-----BEGIN") && line.contains("PRIVATE KEY") { inKeyBlock = true; return String(line) }
            if line.contains("-----END") && line.contains("PRIVATE KEY") { inKeyBlock = false; return String(line) }
            if inKeyBlock { return "(secret masked)" }
            if line.contains("secret"), let range = line.range(of: #"secret\s+"[^"]*""#, options: .regularExpression) {
                return line.replacingCharacters(in: range, with: "secret \"(masked)\"")
            }
            return String(line)
        }.joined(separator: "\n")
    }
}
