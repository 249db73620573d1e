import BerthModel
import BerthTemplate
import BerthDeploy
import BerthResources

extension DeployPlan {
    /// The plan of every synthesized stack, in the app's order.
    init(synthesized result: Synthesizer.Result) {
        self.init(
            stacks: result.rendered.map { rendered in
                let stack = rendered.stack
                return PlannedStack(
                    name: stack.name, phase: stack.phase, environment: stack.environment, service: stack.service, region: stack.region,
                    templateBody: rendered.text, resourceCount: stack.template.resources.count, parameters: stack.parameterSources,
                    template: rendered.value, imageRepository: stack.imageRepository,
                    heldRepository: Self.heldRepository(stack.template), logGroup: Self.logGroup(stack.template),
                    borrowedImageOf: stack.imageService, jobPolicy: stack.jobPolicy,
                    tags: StackTags.tags(app: result.app.name, phase: stack.phase, environment: stack.environment, service: stack.service),
                    capabilities: stack.template.requiredCapabilities, terminationProtection: stack.phase == .ecr,
                    deployAfter: stack.deployAfter, signatures: stack.signatures.map(Self.signaturePolicy),
                    cloudFormationRoleArn: stack.cloudFormationRoleArn, pullAccount: stack.pullAccount)
            })
    }

    /// What the gate checks, from what the environment requires.
    static func signaturePolicy(_ requirement: SignatureRequirement) -> SignaturePolicy {
        switch requirement {
        case .publicKeyFile(let file): .publicKeyFile(file)
        case .kmsKey(let arn): .kmsKey(arn)
        case .keyless(let keyless):
            switch keyless.subject {
            case .exact(let subject):
                .keyless(trustedRootFile: keyless.trustedRootFile, identity: CertificateIdentity(issuer: keyless.issuer, subject: subject, subjectIsRegexp: false))
            case .regexp(let pattern):
                .keyless(trustedRootFile: keyless.trustedRootFile, identity: CertificateIdentity(issuer: keyless.issuer, subject: pattern, subjectIsRegexp: true))
            }
        }
    }

    /// The image repository a template creates, with the lifecycle policy it sets.
    static func heldRepository(_ template: Template) -> PlannedStack.HeldRepository? {
        guard let repository = template.resources.first(where: { $0.value.type == ECR.Repository.resourceType })?.value,
            let name = repository.properties["RepositoryName"]?.stringValue
        else { return nil }
        return PlannedStack.HeldRepository(
            name: name, lifecyclePolicyText: repository.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue)
    }

    /// The log group a template creates.
    static func logGroup(_ template: Template) -> String? {
        template.resources.first(where: { $0.value.type == "AWS::Logs::LogGroup" })?.value.properties["LogGroupName"]?.stringValue
    }
}
