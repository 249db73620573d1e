import BerthTemplate

extension Stack {
    /// Bounds every IAM role of the stack by the managed policy `policy` (its ARN, or its name in
    /// the stack's account), as CDK's permissions-boundary aspect does: the roles Berth's
    /// constructs make and those an app's extensions add alike, so that no role of the stack can
    /// be given more than the policy allows.
    public mutating func applyPermissionsBoundary(_ policy: String) {
        let arn: JSONValue =
            policy.hasPrefix("arn:") ? .string(policy) : Intrinsic.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/\(policy)").templateValue
        for index in template.resources.indices where template.resources[index].value.type == IAM.Role.resourceType {
            override(template.resources[index].name, "PermissionsBoundary", with: arn)
        }
    }
}
