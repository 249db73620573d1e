import BerthModel

/// An IPv4 CIDR block, for splitting a new VPC into subnets.
struct IPv4Block: CustomStringConvertible {
    let address: UInt32
    let prefixLength: Int

    /// Parses `10.0.0.0/16`; `nil` when it is not a CIDR block or has host bits set.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = DecimalText.value(parts[1]), (0...32).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let number = DecimalText.value(octet), let value = UInt8(exactly: number) else { return nil }
            address = address << 8 | UInt32(value)
        }
        let hostMask: UInt32 = prefix == 32 ? 0 : UInt32.max >> UInt32(prefix)
        guard address & hostMask == 0 else { return nil }
        self.address = address
        self.prefixLength = prefix
    }

    private init(address: UInt32, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// The two halves of the block, one prefix bit longer each.
    func halves() -> [IPv4Block] {
        guard prefixLength < 32 else { return [] }
        let half = UInt32(1) << UInt32(31 - prefixLength)
        return [
            IPv4Block(address: address, prefixLength: prefixLength + 1),
            IPv4Block(address: address + half, prefixLength: prefixLength + 1),
        ]
    }

    var description: String {
        let octets = [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xFF) }
        return octets.joined(separator: ".") + "/\(prefixLength)"
    }
}
