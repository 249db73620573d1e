import BerthAWS
import Foundation

/// How Berth's output writes a time.
enum TimeText {
    /// `2026-11-22 10:00:00`, in UTC.
    static func utc(_ date: Date) -> String { UTCDateComponents(date).readable }
}
