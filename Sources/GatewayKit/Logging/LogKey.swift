/// Metadata keys gwsetup logs under; the journal handler stores each as a `GWSETUP_<KEY>` field to filter on.
///
/// Values are names, paths, counts and outcomes, never file contents or stdin: callers must not log secrets
/// (fastd keys, passwords), and no handler tries to spot and hide them.
public enum LogKey {
    /// The apply step or verb stage, e.g. `facts`, `write-files`.
    public static let step = "step"
    /// The resource a message is about, e.g. `file:/etc/fastd/ffx/fastd.conf`.
    public static let resource = "resource"
    /// What happened to it: `unchanged`, `changed`, `failed`, `rolled-back`.
    public static let outcome = "outcome"
    /// The gateway as its transport describes it, e.g. `ssh root@gw1:22`.
    public static let gateway = "gateway"
    /// A command's first line (never its stdin).
    public static let command = "command"
    public static let status = "status"
    public static let durationMilliseconds = "duration_ms"
    public static let stdinBytes = "stdin_bytes"
    public static let stdoutBytes = "stdout_bytes"
}
