extension StackResourceSummary {
    /// Whether CloudFormation has deleted the resource (`DELETE_COMPLETE`): a stack lists it for a
    /// while after a delete, and it holds nothing any more.
    public var isDeleted: Bool { status == "DELETE_COMPLETE" }

    /// Whether the resource stands as created: its create finished, and no delete has begun
    /// (not `CREATE_IN_PROGRESS`, `CREATE_FAILED` or `DELETE_*`).
    public var isCreated: Bool { !["CREATE_IN_PROGRESS", "CREATE_FAILED"].contains(status) && !status.hasPrefix("DELETE_") }
}
