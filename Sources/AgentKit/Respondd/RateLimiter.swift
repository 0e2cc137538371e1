/// A token bucket per source address: a map client polls every minute or so, a flood gets nothing back.
public struct RateLimiter: Sendable {
    public let burst: Double
    public let perSecond: Double
    /// Sources remembered at most; the least recently seen are forgotten first.
    public let capacity: Int
    private var buckets: [[UInt8]: (tokens: Double, at: Double)] = [:]

    public init(burst: Int = 10, perSecond: Double = 1, capacity: Int = 4096) {
        self.burst = Double(burst)
        self.perSecond = perSecond
        self.capacity = capacity
    }

    /// True if `source` may have an answer at `now` (seconds on a monotonic clock); spends one token.
    public mutating func allow(_ source: [UInt8], now: Double) -> Bool {
        var bucket = buckets[source] ?? (tokens: burst, at: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.at) * perSecond)
        bucket.at = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        if buckets[source] == nil && buckets.count >= capacity { forgetOldest() }
        buckets[source] = bucket
        return allowed
    }

    private mutating func forgetOldest() {
        let cutoff = buckets.values.map(\.at).sorted()[buckets.count / 2]
        buckets = buckets.filter { $0.value.at > cutoff }
    }
}
