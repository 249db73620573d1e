import Foundation

/// The calendar fields of a moment in UTC, for the timestamps AWS and Berth print.
public struct UTCDateComponents: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// The fields of `date`; a moment outside the years 0 to 9999 (only a bogus answer gives
    /// one) has those of the nearest end of that range, and one that is not a number those of
    /// 1970-01-01 00:00:00.
    public init(_ date: Date) {
        let moment = date.timeIntervalSince1970.rounded(.down)
        var seconds = moment.isNaN ? 0 : time_t(min(max(moment, Self.earliestSeconds), Self.latestSeconds))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
    }

    /// 0000-01-01 00:00:00 and 9999-12-31 23:59:59 UTC, in seconds since 1970.
    static let earliestSeconds: Double = -62_167_219_200
    static let latestSeconds: Double = 253_402_300_799

    /// `value` with at least `width` digits.
    public static func padded(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `20261122`
    public var compactDay: String { Self.padded(year, 4) + Self.padded(month) + Self.padded(day) }
    /// `093015`
    public var compactTime: String { Self.padded(hour) + Self.padded(minute) + Self.padded(second) }
    /// `2026-11-22 09:30:15`
    public var readable: String {
        "\(Self.padded(year, 4))-\(Self.padded(month))-\(Self.padded(day)) \(Self.padded(hour)):\(Self.padded(minute)):\(Self.padded(second))"
    }
}
