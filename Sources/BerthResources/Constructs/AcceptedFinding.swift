import BerthTemplate

/// A security scanner's finding that a template keeps on purpose, with the reason a reader of the
/// template sees: written as `Metadata.checkov.skip`, which checkov reads.
struct AcceptedFinding: Sendable, Hashable {
    /// The check, such as `CKV_AWS_91`.
    let checkID: String
    let reason: String

    /// The resource metadata that records `findings`; `nil` when there are none.
    static func metadata(_ findings: [AcceptedFinding]) -> JSONValue? {
        guard !findings.isEmpty else { return nil }
        return ["checkov": ["skip": .array(findings.map { ["id": .string($0.checkID), "comment": .string($0.reason)] })]]
    }
}
