import BerthTemplate

/// A Control Tower proactive control that a resource does not meet, on purpose: written as
/// `Metadata.guard.SuppressedRules` (cfn-guard's convention, the rule's name) with, under
/// `Metadata.guard.Reasons`, the control, the reason and the setting that changes it.
///
/// The controls themselves read no suppression: an account that enforces them refuses the
/// resource all the same. It is a record for a reader, and what `make test` accepts.
struct SuppressedControl: Sendable, Hashable {
    let control: ProactiveControl
    /// Why the resource does not meet it.
    let reason: String
    /// The environment-file key (or construct setting) that makes the resource meet it.
    let key: String
    /// What to do with `key` so that it meets the control ("set logs.retentionDays to 365 or
    /// more"), for the problem `controls: control-tower` reports.
    let fix: String

    init(control: ProactiveControl, reason: String, key: String, fix: String) {
        self.control = control
        self.reason = reason
        self.key = key
        self.fix = fix
    }

    /// The resource metadata that records `findings` for checkov and `controls` for cfn-guard;
    /// `nil` when there are neither.
    static func metadata(checkov findings: [AcceptedFinding], controls: [SuppressedControl]) -> JSONValue? {
        let unique = controls.reduce(into: [SuppressedControl]()) { list, control in
            if !list.contains(where: { $0.control == control.control }) { list.append(control) }
        }.sorted { $0.control.ruleName < $1.control.ruleName }
        let guardValue: JSONValue? = unique.isEmpty
            ? nil
            : [
                "SuppressedRules": .array(unique.map { .string($0.control.ruleName) }),
                "Reasons": .object(unique.map { control in
                    JSONValue.Member(
                        control.control.ruleName,
                        ["Control": .string(control.control.id), "Reason": .string(control.reason), "Key": .string(control.key)])
                }),
            ]
        let pairs: [(String, JSONValue?)] = [("checkov", AcceptedFinding.metadata(findings)?["checkov"]), ("guard", guardValue)]
        guard pairs.contains(where: { $0.1 != nil }) else { return nil }
        return .object(pairs: pairs)
    }
}
