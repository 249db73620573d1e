extension BuildProvenance {
    /// Why `value` is not a commit to record (`--commit-sha`): Git's hexadecimal object name,
    /// whole (40 digits, or 64 for SHA-256) or shortened to at least 4; `nil` when it is one.
    public static func commitProblem(_ value: String) -> String? {
        // A-F read as a-f: setting bit 0x20 maps them, and only them, onto a-f.
        let isHex = value.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }
        guard (4...64).contains(value.utf8.count), isHex else {
            return "expected a commit's hexadecimal name (4 to 64 of 0-9 and a-f, as git rev-parse HEAD prints it), got \(String(value.prefix(80)).debugDescription)"
        }
        return nil
    }

    /// Why `value` is not a build time to record (`--build-time`): an ISO 8601 date and time in
    /// UTC or with its offset, to the second (`2026-11-22T09:30:00Z`, `2026-11-22T10:30:00+01:00`
    /// or `+0100`, as `date +%FT%T%z` writes it; fractions of a second after `.` or `,`);
    /// `nil` when it is one.
    public static func buildTimeProblem(_ value: String) -> String? {
        guard isDateTime(Array(value.utf8)) else {
            return "expected a date and time as ISO 8601 writes it, such as 2026-11-22T09:30:00Z (date -u +%Y-%m-%dT%H:%M:%SZ), got \(String(value.prefix(80)).debugDescription)"
        }
        return nil
    }

    private static func isDateTime(_ bytes: [UInt8]) -> Bool {
        func number(_ start: Int, _ length: Int, in range: ClosedRange<Int>) -> Bool {
            guard start + length <= bytes.count else { return false }
            var value = 0
            for byte in bytes[start..<(start + length)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return range.contains(value)
        }
        func byte(_ index: Int, is character: Character) -> Bool { index < bytes.count && bytes[index] == character.asciiValue }
        guard number(0, 4, in: 1970...9999), byte(4, is: "-"), number(5, 2, in: 1...12), byte(7, is: "-"), number(8, 2, in: 1...31),
            byte(10, is: "T") || byte(10, is: "t"), number(11, 2, in: 0...23), byte(13, is: ":"), number(14, 2, in: 0...59), byte(16, is: ":"),
            number(17, 2, in: 0...60)
        else { return false }
        var index = 19
        if byte(index, is: ".") || byte(index, is: ",") {
            index += 1
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits, index - digits <= 9 else { return false }
        }
        if byte(index, is: "Z") || byte(index, is: "z") { return index + 1 == bytes.count }
        guard byte(index, is: "+") || byte(index, is: "-") else { return false }
        guard number(index + 1, 2, in: 0...23) else { return false }
        // +01:00, or +0100 (ISO 8601's basic form of the offset).
        let minutes = byte(index + 3, is: ":") ? index + 4 : index + 3
        return number(minutes, 2, in: 0...59) && minutes + 2 == bytes.count
    }
}
