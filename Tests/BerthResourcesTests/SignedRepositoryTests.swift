import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

/// Required signatures reach the repository (`sha256-*.sig` mutable, and no lifecycle rule that
/// could expire a kept image's signature) and each service stack (for the gate).
@Suite struct SignedRepositoryTests {
    private func blueprint(signedEnvironment: Bool) -> AppBlueprint {
        var dev = EnvironmentSettings(name: "dev", region: "eu-west-1")
        dev.services = [Named("web", FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .web))]
        var prod = dev
        prod.name = "prod"
        prod.keepImages = 30
        if signedEnvironment { prod.signatures = SignatureRequirement.publicKeyFile("/config/cosign.pub") }
        return AppBlueprint(name: "shop", environments: [dev, prod])
    }

    private func repositoryOf(_ app: App) -> Resource? {
        app.stacks.first { $0.name == "shop-web-ecr" }?.template.resource("Repository")
    }

    @Test func anEnvironmentRequiringSignaturesKeepsThemAndLetsThemBeRewritten() throws {
        let app = blueprint(signedEnvironment: true).build()
        #expect(app.validate().isEmpty)
        let repository = try #require(repositoryOf(app))
        let rules = repository.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue ?? ""
        // Whatever dev pushes, prod's signatures stay: no rule counts them.
        #expect(!rules.contains("sha256-") && rules.contains(#""countNumber":30"#))
        #expect(repository.properties["ImageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION")
        #expect("\(repository.properties["ImageTagMutabilityExclusionFilters"] ?? .null)".contains("sha256-*.sig"))
        #expect(app.stacks.first { $0.name == "shop-web-prod" }?.signatures == SignatureRequirement.publicKeyFile("/config/cosign.pub"))
        #expect(app.stacks.first { $0.name == "shop-web-dev" }?.signatures == nil)
    }

    @Test func theAppsCodeRequiresThemForEveryEnvironment() {
        var blueprint = blueprint(signedEnvironment: false)
        let unsigned = repositoryOf(blueprint.build())?.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue ?? ""
        #expect(unsigned.contains("countNumber") && !unsigned.contains("sha256-"))
        blueprint.signatures = SignatureRequirement.publicKeyFile("/app/cosign.pub")
        let app = blueprint.build()
        #expect(app.stacks.filter { $0.phase == .ecs && $0.service != nil }.allSatisfy { $0.signatures == .publicKeyFile("/app/cosign.pub") })
        let signed = repositoryOf(app)?.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue ?? ""
        #expect(signed.contains("countNumber") && !signed.contains("sha256-"))
        let filters = "\(repositoryOf(app)?.properties["ImageTagMutabilityExclusionFilters"] ?? .null)"
        #expect(filters.contains("sha256-*.sig"))
    }
}
