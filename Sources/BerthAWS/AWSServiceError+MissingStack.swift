extension AWSServiceError {
    /// Whether CloudFormation answered that the stack named does not exist (a `ValidationError`
    /// saying so): for a read, no stack rather than a failure.
    public var isMissingStack: Bool { code == "ValidationError" && message.contains("does not exist") }
}
