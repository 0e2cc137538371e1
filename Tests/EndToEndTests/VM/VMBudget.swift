import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The vCPU budget every VM test shares, across test processes: at most three one-vCPU guests on two cores, and one
/// multi-VM scenario at a time, so no guest is starved into a timeout by the others; no slot is held idle.
enum VMBudget {
    /// One-vCPU guests that may run at once; TCG guests beyond this only slow each other down.
    static let guestSlots = 3

    /// Lock files live beside the image cache, so every checkout and test process on the machine counts against one budget.
    static var directory: String {
        (ProcessInfo.processInfo.environment["GWSETUP_VM_CACHE"] ?? "/var/cache/gwsetup-vm") + "/budget"
    }

    /// Runs `body` once `guests` slots are held (and, for more than one guest, the multi-VM scenario lock); releases them
    /// however `body` ends. A process that dies releases its locks with its file descriptors.
    static func withGuests<T>(_ guests: Int, for name: String, _ body: () async throws -> T) async throws -> T {
        precondition((1...guestSlots).contains(guests), "a scenario may use 1 to \(guestSlots) guests")
        let waited = ContinuousClock.now
        var scenario: Int32?
        defer { scenario.map { _ = close($0) } }
        var slots: [Int32] = []
        defer { slots.forEach { close($0) } }
        if guests > 1 {
            // One multi-VM scenario at a time. It takes its slots all at once or none: holding some while it waits for
            // the rest would idle them (a CI run lost 277 s so), and single guests may use them meanwhile. It holds
            // `claim` only while it tries, so a single guest never takes a slot out of a set it is about to complete.
            scenario = try await lock("scenario")
            while slots.count < guests {
                let claim = try await lock("claim")
                for slot in 0..<guestSlots where slots.count < guests {
                    if let fd = try tryLock("slot-\(slot)") { slots.append(fd) }
                }
                if slots.count < guests {
                    slots.forEach { close($0) }
                    slots = []
                }
                close(claim)
                if slots.count < guests { try await Task.sleep(for: .seconds(2)) }
            }
        } else {
            // A single guest never waits holding a slot, so two waiters can never hold each other up.
            while slots.isEmpty {
                if let claim = try tryLock("claim") {
                    defer { close(claim) }
                    for slot in 0..<guestSlots where slots.isEmpty {
                        if let fd = try tryLock("slot-\(slot)") { slots.append(fd) }
                    }
                }
                if slots.isEmpty { try await Task.sleep(for: .seconds(2)) }
            }
        }
        let wait = ContinuousClock.now - waited
        if wait > .seconds(5) {
            FileHandle.standardError.write(Data("VM budget: \(name) waited \(wait) for \(guests) guest slot(s)\n".utf8))
        }
        return try await body()
    }

    /// Polls an exclusive lock on `name` until it is ours; returns its descriptor.
    static func lock(_ name: String) async throws -> Int32 {
        while true {
            if let fd = try tryLock(name) { return fd }
            try await Task.sleep(for: .seconds(2))
        }
    }

    /// An exclusive lock on `name`'s file if nobody holds it, nil if somebody does.
    static func tryLock(_ name: String) throws -> Int32? {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw VMError.launchFailed("lock file \(path) (\(String(cString: strerror(errno))))") }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return fd }
        close(fd)
        return nil
    }
}
