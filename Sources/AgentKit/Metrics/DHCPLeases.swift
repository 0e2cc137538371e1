import GatewayBase

/// dnsmasq's lease file (`expiry mac ipv4 hostname client-id` per line), counted against this gateway's ranges.
public enum DHCPLeases {
    /// Leases whose address falls in `ranges`; lines that are not leases are skipped.
    public static func inUse(leaseFile text: String, ranges: [MetricsConfig.DHCPRange]) -> Int {
        let bounds = ranges.compactMap { range -> (UInt32, UInt32)? in
            guard let first = IPv4Address(range.first), let last = IPv4Address(range.last) else { return nil }
            return (first.value, last.value)
        }
        var count = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, let address = IPv4Address(String(fields[2])) else { continue }
            if bounds.contains(where: { $0.0 <= address.value && address.value <= $0.1 }) { count += 1 }
        }
        return count
    }

    /// Addresses the ranges hold.
    public static func poolSize(_ ranges: [MetricsConfig.DHCPRange]) -> Int {
        ranges.reduce(0) { total, range in
            guard let first = IPv4Address(range.first), let last = IPv4Address(range.last), first.value <= last.value else { return total }
            return total + Int(last.value - first.value) + 1
        }
    }
}
