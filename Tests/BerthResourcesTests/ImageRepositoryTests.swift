import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct ImageRepositoryTests {
    private func stack(_ repository: ImageRepository) -> Stack {
        var stack = Stack(name: "shop-api-ecr", phase: .ecr, region: "eu-west-1", description: "test")
        repository.add(to: &stack)
        return stack
    }

    private var policy: LifecyclePolicy {
        var policy = LifecyclePolicy()
        policy.keepMostRecent(5, tagPrefix: "dev-")
        return policy
    }

    @Test func repositoryIsImmutableScannedAndRetained() throws {
        let built = stack(ImageRepository(name: "shop/api", lifecyclePolicy: policy))
        #expect(built.validate().isEmpty)
        let repository = try #require(built.template.resource("Repository"))
        #expect(repository.type == "AWS::ECR::Repository")
        #expect(repository.deletionPolicy == .retain)
        #expect(repository.updateReplacePolicy == .retain)
        #expect(repository.properties["ImageTagMutability"] == "IMMUTABLE")
        #expect(repository.properties["ImageScanningConfiguration"]?["ScanOnPush"] == true)
        #expect(repository.properties["RepositoryName"] == "shop/api")
        #expect(repository.properties["LifecyclePolicy"]?["LifecyclePolicyText"] == .string(policy.policyText))
    }

    /// A mutable-tag filter of `*` alone lets every tag move: warned of once, with the repository.
    @Test func aFilterOfEveryTagIsWarnedOf() {
        var repository = ImageRepository(name: "shop/api", lifecyclePolicy: policy)
        repository.mutableTags = ["latest", "*"]
        let built = stack(repository)
        #expect(built.problems.isEmpty && built.warnings.map(\.location) == ["mutableTags"])
        #expect(built.warnings.first?.message.hasPrefix("\"*\" matches every tag: no tag of repository shop/api stays immutable") == true)
        repository.mutableTags = ["*-latest"]
        #expect(stack(repository).warnings.isEmpty)
    }

    /// The pull policy names each account's root in the repository's own partition: China's
    /// and GovCloud's ARNs are not `arn:aws:`.
    @Test func thePullPolicyNamesAccountsInTheRepositorysPartition() throws {
        for (region, partition) in [("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")] {
            var repository = ImageRepository(name: "shop/api", lifecyclePolicy: policy)
            repository.pullAccounts = ["210987654321", "109876543210", "210987654321"]
            repository.partition = ImageRepository.partition(ofRegion: region)
            let statement = try #require(repository.pullPolicy?["Statement"]?.elements?.first)
            let principals: JSONValue = .array([
                .string("arn:\(partition):iam::109876543210:root"), .string("arn:\(partition):iam::210987654321:root"),
            ])
            #expect(statement["Principal"]?["AWS"] == principals)
        }
        #expect(ImageRepository(name: "shop/api", lifecyclePolicy: policy).pullPolicy == nil)
    }

    @Test func outputsNameArnAndUri() {
        let outputs = stack(ImageRepository(name: "shop/api", lifecyclePolicy: policy)).template.outputs
        #expect(outputs.map(\.name) == ["RepositoryName", "RepositoryArn", "RepositoryUri"])
        #expect(outputs[2].value.value == ["Fn::GetAtt": ["Repository", "RepositoryUri"]])
        #expect(outputs.allSatisfy { $0.value.exportName == nil })
    }

    @Test(arguments: ["shop/api", "a1", "team.x/svc_name-2", "a/b/c"])
    func validNamesPass(name: String) {
        #expect(ImageRepository.nameProblem(name) == nil)
    }

    @Test(arguments: ["Shop/api", "a", "shop//api", "-shop", "shop-", "shop/api/", "sh--op", "shop api", String(repeating: "a", count: 257)])
    func invalidNamesAreRejected(name: String) {
        #expect(ImageRepository.nameProblem(name) != nil)
    }

    @Test func invalidNameAndPolicyAreReportedWithTheStack() {
        let built = stack(ImageRepository(name: "Bad Name", lifecyclePolicy: LifecyclePolicy()))
        let found = built.validate().map(\.description)
        #expect(found.contains { $0.hasPrefix("shop-api-ecr: Resources.Repository.Properties.RepositoryName: \"Bad Name\" is not valid") })
        #expect(found.contains("shop-api-ecr: lifecycle policy: has no rules; add keepMostRecent or expireUntagged"))
    }

    @Test func createOnlyPropertiesComeFromTheSchema() {
        #expect(ECR.Repository.createOnlyProperties.contains("/properties/RepositoryName"))
        #expect(ElasticLoadBalancingV2.TargetGroup.createOnlyProperties.contains("/properties/Port"))
        #expect(ECS.TaskDefinition.createOnlyProperties.contains("/properties/ContainerDefinitions"))
        #expect(ResourceCatalog.createOnlyProperties.count == 25)
        #expect(EC2.VPCEndpoint.createOnlyProperties.contains("/properties/ServiceName"))
        #expect(ResourceCatalog.createOnlyProperties["AWS::ElasticLoadBalancingV2::ListenerRule"] == ["/properties/ListenerArn"])
        #expect(ResourceCatalog.createOnlyProperties["AWS::ECR::Repository"] == ECR.Repository.createOnlyProperties)
    }
}
