import BerthTemplate

/// The template a team deploys once in each AWS account an app's environments run in (`berth
/// synth --bootstrap`): two roles, split as CDK's bootstrap splits them.
///
/// - The **deploy role** (`berth-<app>-deploy`) is what an environment's `roleArn` names: the
///   trusted account (where CI runs, where the repositories live) assumes it, with the external
///   ID when one is given. It may make exactly the calls Berth makes in the account, on the app's
///   stacks, services, tasks and log groups, and pass the execution role to CloudFormation; it
///   cannot create a resource itself.
/// - The **CloudFormation execution role** (`berth-<app>-cfn-exec`) is what an environment's
///   `cloudFormationRoleArn` names: Berth passes it as every change set's `RoleARN`, and
///   CloudFormation, only CloudFormation, acts with it. It holds the permissions to create what
///   Berth's templates declare, IAM roles only when named `<app>-*`.
///
/// The template depends on the app's name only: what it allows covers every feature Berth's
/// templates may use, so turning a feature on needs no new bootstrap.
public struct BootstrapTemplate: Sendable {
    /// The app, as environment files name it (`app:`): it names the roles and scopes them.
    public let app: String

    public init(app: String) {
        self.app = app
    }

    /// The deploy role's fixed name: `berth-<app>-deploy`.
    public static func deployRoleName(app: String) -> String { "berth-\(app)-deploy" }

    /// The CloudFormation execution role's fixed name: `berth-<app>-cfn-exec`.
    public static func executionRoleName(app: String) -> String { "berth-\(app)-cfn-exec" }

    /// The file `berth synth --bootstrap` writes, relative to the output directory: in a
    /// directory of its own, which synth's clean-up of old templates never looks into.
    public static func fileName(app: String, fileExtension: String) -> String {
        "bootstrap/\(app)-bootstrap.template.\(fileExtension)"
    }

    static let trustedAccount = "TrustedAccount"
    static let externalID = "ExternalId"
    static let hasExternalID = "HasExternalId"
    static let permissionsBoundary = "PermissionsBoundary"
    static let hasPermissionsBoundary = "HasPermissionsBoundary"

    /// The template: parameters, the two roles and their ARNs as outputs.
    public var template: Template {
        var template = Template(
            description: "Berth bootstrap for \(app): the deploy role and the CloudFormation execution role Berth uses in this account (deploy once per account)")
        template.addParameter(
            Self.trustedAccount,
            Parameter(
                description: "The AWS account allowed to assume the deploy role: where CI runs and the image repositories live",
                allowedPattern: "^[0-9]{12}$", constraintDescription: "a 12-digit AWS account ID"))
        template.addParameter(
            Self.externalID,
            Parameter(
                description: "The external ID the trusted account must present (an environment's externalId); empty for none",
                defaultValue: "", allowedPattern: "^([\\w+=,.@:/-]{2,1224})?$",
                constraintDescription: "empty, or 2 to 1224 letters, digits and +=,.@:/- (STS's rule for an external ID)"))
        template.addCondition(Self.hasExternalID, .not(Intrinsic.equals(Intrinsic.ref(Self.externalID).templateValue, "").templateValue))
        template.addParameter(
            Self.permissionsBoundary,
            Parameter(
                description: "The managed policy (its name) that bounds every role the execution role creates or changes (the environments' permissionsBoundary); empty for none",
                defaultValue: "", allowedPattern: "^([\\w+=,.@-]{1,128})?$",
                constraintDescription: "empty, or a policy name: 1 to 128 letters, digits and +=,.@_-"))
        template.addCondition(
            Self.hasPermissionsBoundary, .not(Intrinsic.equals(Intrinsic.ref(Self.permissionsBoundary).templateValue, "").templateValue))
        let execution = addExecutionRole(to: &template)
        let deploy = addDeployRole(to: &template)
        template.addOutput("DeployRoleArn", Output(deploy.getAtt("Arn"), description: "The deploy role: an environment's roleArn"))
        template.addOutput(
            "CloudFormationExecutionRoleArn",
            Output(execution.getAtt("Arn"), description: "The CloudFormation execution role: an environment's cloudFormationRoleArn"))
        return template
    }

    /// `Fn::Sub` text for an ARN of this account (any region, this partition).
    static func arn(_ service: String, _ resource: String, region: Bool = true) -> JSONValue {
        Intrinsic.sub("arn:${AWS::Partition}:\(service):\(region ? "*" : ""):${AWS::AccountId}:\(resource)").templateValue
    }

    /// A policy document of `statements`, and of `conditional` ones (`Fn::If` to a statement or
    /// to none).
    static func document(_ statements: [PolicyStatement], _ conditional: JSONValue...) -> JSONValue {
        ["Version": "2012-10-17", "Statement": .array(statements.map(\.jsonValue) + conditional)]
    }
}
