import Foundation

/// `SOURCE_DATE_EPOCH`, read as the reproducible-builds specification asks
/// (https://reproducible-builds.org/specs/source-date-epoch/): ASCII digits only, a count of
/// seconds since 1970-01-01T00:00:00Z. A malformed or absurd value is refused rather than
/// ignored, so a tag is never silently made from the wrong time.
enum SourceDateEpoch {
    /// The latest time accepted: 9999-12-31T23:59:59Z, the last second a four-digit year can name.
    static let latest = 253_402_300_799

    /// The time `environment["SOURCE_DATE_EPOCH"]` names; `nil` when it is unset or empty.
    /// Throws an input error naming the value when it is not a whole number of seconds from 0
    /// to `latest`.
    static func date(in environment: [String: String]) throws -> Date? {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        let shown = text.count > 40 ? "\(text.prefix(40))…" : text
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw CommandFailure(
                .inputError, "SOURCE_DATE_EPOCH is \"\(shown)\", not a whole number of seconds since 1970-01-01 (ASCII digits only)")
        }
        guard let seconds = Int(text), seconds <= latest else {
            throw CommandFailure(
                .inputError, "SOURCE_DATE_EPOCH is \(shown), after 9999-12-31T23:59:59Z (\(latest)); expected the time of the last commit")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
