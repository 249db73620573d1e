/// S3 bucket names, as the environment-file reader checks them at file:line and
/// `SharedEnvironment` checks again of settings that Swift code set.
package enum S3BucketName {
    /// S3's rule for bucket names that load balancers can log to (no dots next to each other or
    /// to a hyphen, starting and ending with a letter or digit).
    package static func isValid(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard (3...63).contains(name.count), name.allSatisfy(allowed.contains),
            let first = name.first, let last = name.last, first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return !name.contains("..") && !name.contains(".-") && !name.contains("-.")
    }
}
