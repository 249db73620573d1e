/// What deploying a template would change in a stack: the semantic difference between the
/// deployed template (and its parameter values) and the new one.
public struct StackDiff: Sendable, Hashable {
    /// Whether the stack exists; when it does not, everything is added.
    public var deployed: Bool
    /// How the resource changes were classified.
    public var method: DiffMethod
    public var parameters: [EntryDiff] = []
    /// Parameter values that change between the deployed stack and this deploy.
    public var parameterValues: [ParameterValueChange] = []
    public var conditions: [EntryDiff] = []
    public var resources: [ResourceDiff] = []
    public var outputs: [EntryDiff] = []
    /// Other top-level sections: Description, Mappings, Metadata, Transform.
    public var otherChanges: [ValueChange] = []
    /// The containers whose image changes.
    public var images: [ImageChange] = []
    /// The ECS services that join Service Connect: what the proxy adds to each of their tasks.
    public var serviceConnectCosts: [ServiceConnectCost] = []
    public var iamStatements: [IAMStatementChange] = []
    public var securityGroupRules: [SecurityGroupRuleChange] = []

    public init(deployed: Bool, method: DiffMethod) {
        self.deployed = deployed
        self.method = method
    }

    public var hasDifferences: Bool {
        !parameters.isEmpty || !parameterValues.isEmpty || !conditions.isEmpty || !resources.isEmpty || !outputs.isEmpty
            || !otherChanges.isEmpty
    }

    /// Whether IAM statements or security-group rules change.
    public var hasSecurityChanges: Bool { !iamStatements.isEmpty || !securityGroupRules.isEmpty }
}
