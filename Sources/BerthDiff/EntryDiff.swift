/// A named template entry (parameter, condition, output) that is added, removed or modified.
public struct EntryDiff: Sendable, Hashable {
    public var name: String
    public var action: ChangeAction
    public var changes: [ValueChange]
}
