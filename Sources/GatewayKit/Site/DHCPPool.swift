import GatewayBase

/// Cuts a domain's DHCP pool into fixed slots, one per gateway in site order, so ranges never
/// overlap and adding a gateway at the end leaves every other gateway's range where it was.
public enum DHCPPool {
    /// The domain's pool: the given range, or the prefix less its first block (kept for gateways and servers) and its broadcast.
    public static func pool(of domain: MeshDomain) -> IPv4Range? {
        if let range = domain.dhcp.range { return range }
        guard let prefix = domain.prefix4, prefix.size >= 64 else { return nil }
        // A whole /24 only from /20 up: on a /21 or /22 it would swallow the first gateway's slot.
        let reserved: Int64 = prefix.size >= 4096 ? 256 : 16
        guard let first = prefix.first.advanced(by: reserved), let last = prefix.last.advanced(by: -1) else { return nil }
        return IPv4Range(first: first, last: last)
    }

    /// Each gateway's range in one domain: its own when the site gives one, else its slot of the pool.
    public static func ranges(for domain: MeshDomain, in site: Site, slots: Int = SiteDefaults.dhcpGatewaySlots) -> [String: IPv4Range] {
        let members = site.gateways.filter { $0.domain(domain.code) != nil }
        var result: [String: IPv4Range] = [:]
        let automatic = members.filter { $0.domain(domain.code)?.dhcpRange == nil }
        let slotCount = max(slots, automatic.count)
        let pool = pool(of: domain)
        // A repeated name keeps its first slot, as a search from the start would find.
        var slotIndex: [String: Int] = [:]
        for (index, gateway) in automatic.enumerated() where slotIndex[gateway.name] == nil { slotIndex[gateway.name] = index }
        for gateway in members {
            if let given = gateway.domain(domain.code)?.dhcpRange {
                result[gateway.name] = given
            } else if let pool, let index = slotIndex[gateway.name] {
                result[gateway.name] = slot(index, of: slotCount, in: pool, prefix: domain.dhcp.range == nil ? domain.prefix4 : nil)
            }
        }
        return result
    }

    /// Each gateway's ranges as dnsmasq gets them: its range less every reserved address, split around them,
    /// so no client is ever leased an address someone already answers on. Empty pieces are dropped.
    public static func leasableRanges(for domain: MeshDomain, in site: Site) -> [String: [IPv4Range]] {
        let reserved = reservedAddresses(of: domain, in: site)
        return ranges(for: domain, in: site).mapValues { split($0, around: reserved) }
    }

    /// The addresses of a domain no client may lease, sorted: the network and broadcast addresses,
    /// the next_node address and every gateway's own address in the domain.
    public static func reservedAddresses(of domain: MeshDomain, in site: Site) -> [IPv4Address] {
        guard let prefix = domain.prefix4 else { return [] }
        var reserved = [prefix.first, prefix.last]
        if let nextNode = domain.nextNode?.ipv4 { reserved.append(nextNode) }
        for gateway in site.gateways { if let address = gateway.domain(domain.code)?.ipv4 { reserved.append(address) } }
        return Array(Set(reserved)).sorted()
    }

    /// `range` less the `reserved` addresses (sorted) inside it; binary search finds the first, so the cost
    /// follows the addresses inside the range, not every reserved address.
    static func split(_ range: IPv4Range, around reserved: [IPv4Address]) -> [IPv4Range] {
        var low = 0, high = reserved.count
        while low < high {
            let middle = (low + high) / 2
            if reserved[middle] < range.first { low = middle + 1 } else { high = middle }
        }
        var pieces: [IPv4Range] = []
        var start = UInt64(range.first.value)
        while low < reserved.count, reserved[low] <= range.last {
            let address = UInt64(reserved[low].value)
            if address > start { pieces.append(IPv4Range(first: IPv4Address(value: UInt32(start)), last: IPv4Address(value: UInt32(address - 1)))) }
            start = address + 1
            low += 1
        }
        if start <= UInt64(range.last.value) { pieces.append(IPv4Range(first: IPv4Address(value: UInt32(start)), last: range.last)) }
        return pieces
    }

    /// Slot `index`: an aligned block of the prefix (readable ranges like .32.0–.63.255) clipped to the pool,
    /// or a plain arithmetic share when the admin gave a pool of their own.
    static func slot(_ index: Int, of count: Int, in pool: IPv4Range, prefix: IPv4Network?) -> IPv4Range? {
        if let prefix, count.nonzeroBitCount == 1, prefix.size / UInt64(count) >= 64 {
            let size = prefix.size / UInt64(count)
            let start = max(UInt64(prefix.first.value) + size * UInt64(index), UInt64(pool.first.value))
            let end = min(UInt64(prefix.first.value) + size * UInt64(index + 1) - 1, UInt64(pool.last.value))
            guard start <= end else { return nil }
            return IPv4Range(first: IPv4Address(value: UInt32(start)), last: IPv4Address(value: UInt32(end)))
        }
        let size = pool.count / UInt64(count)
        guard size >= 1 else { return nil }
        let first = pool.first.value + UInt32(size * UInt64(index))
        return IPv4Range(first: IPv4Address(value: first), last: IPv4Address(value: first + UInt32(size) - 1))
    }
}
