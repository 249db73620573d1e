/// Added, removed or modified.
public enum ChangeAction: String, Sendable, Hashable {
    case add, remove, modify
}
