/// AWS region names, checked against AWS's region pattern
/// `[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}` (`eu-west-1`, `us-gov-east-1`,
/// `us-isob-east-1`), and the European Sovereign Cloud's `eusc-de-east-1`. A name that only looks
/// like a region (`eu-west-+1`, `a-b-c-d-1`, `eu-west-01`) is refused before it reaches a host name
/// or a signature.
public enum RegionName {
    /// Whether `text` is a region name by AWS's pattern.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        func letters(_ part: Substring.UTF8View.SubSequence, count: ClosedRange<Int> = 1...Int.max) -> Bool {
            count.contains(part.count) && part.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        }
        guard let last = parts.last, last.count == 1, let digit = last.first,
            digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9")
        else { return false }
        switch parts.count {
        case 3:
            return letters(parts[0], count: 2...2) && letters(parts[1])
        case 4:
            let qualifier = String(decoding: parts[1], as: UTF8.self)
            let isPartition = qualifier == "gov" || (qualifier.hasPrefix("iso") && letters(parts[1], count: 3...4))
            let isSovereign = String(decoding: parts[0], as: UTF8.self) == "eusc" && qualifier == "de"
            return ((letters(parts[0], count: 2...2) && isPartition) || isSovereign) && letters(parts[2])
        default:
            return false
        }
    }
}
