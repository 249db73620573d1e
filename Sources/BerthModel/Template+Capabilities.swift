import BerthTemplate

extension Template {
    /// What CloudFormation must be told to accept the template: `CAPABILITY_IAM` when it has IAM
    /// resources, `CAPABILITY_NAMED_IAM` when one of them is named.
    public var requiredCapabilities: [String] {
        let iam = resources.filter { $0.value.type.hasPrefix("AWS::IAM::") }
        guard !iam.isEmpty else { return [] }
        let named = iam.contains { resource in
            ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"].contains {
                resource.value.properties[$0] != nil
            }
        }
        return named ? ["CAPABILITY_NAMED_IAM"] : ["CAPABILITY_IAM"]
    }
}
