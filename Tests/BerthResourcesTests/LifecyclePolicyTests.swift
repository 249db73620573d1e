import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct LifecyclePolicyTests {
    @Test func builderKeepsPerEnvironmentAndExpiresUntagged() {
        var policy = LifecyclePolicy()
        policy.keepMostRecent(10, tagPrefix: "dev-")
        policy.keepMostRecent(30, tagPrefix: "prod-")
        policy.expireUntagged(afterDays: 1)
        #expect(policy.validate().isEmpty)
        #expect(policy.policyText == """
            {"rules":[{"rulePriority":1,"description":"keep the 10 most recent dev-* images","selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},\
            {"rulePriority":2,"description":"keep the 30 most recent prod-* images","selection":{"tagStatus":"tagged","tagPrefixList":["prod-"],"countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}},\
            {"rulePriority":3,"description":"expire untagged images after 1 day","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}
            """)
    }

    @Test func rulesAreWrittenInPriorityOrder() {
        var policy = LifecyclePolicy()
        policy.add(LifecycleRule(priority: 9, tagStatus: .any, count: .imageCountMoreThan(100)))
        policy.add(LifecycleRule(priority: 2, tagStatus: .tagged, tagPatterns: ["*-rc*"], count: .sinceImagePushed(days: 7)))
        #expect(policy.validate().isEmpty)
        #expect(policy.policyText.firstRange(of: "\"rulePriority\":2")!.lowerBound < policy.policyText.firstRange(of: "\"rulePriority\":9")!.lowerBound)
    }

    private func problems(_ rules: [LifecycleRule]) -> [String] {
        var policy = LifecyclePolicy()
        for rule in rules { policy.add(rule) }
        return policy.validate().map { "\($0.location): \($0.message)" }
    }

    @Test func duplicatePrioritiesAreRejected() {
        let found = problems([
            LifecycleRule(priority: 1, tagStatus: .tagged, tagPrefixes: ["a-"], count: .imageCountMoreThan(1)),
            LifecycleRule(priority: 1, tagStatus: .tagged, tagPrefixes: ["b-"], count: .imageCountMoreThan(1)),
        ])
        #expect(found.contains("lifecycle rule 2 (priority 1): rulePriority 1 is used by more than one rule; priorities must be unique"))
    }

    @Test func anyMustBeEvaluatedLast() {
        let found = problems([
            LifecycleRule(priority: 1, tagStatus: .any, count: .imageCountMoreThan(50)),
            LifecycleRule(priority: 2, tagStatus: .tagged, tagPrefixes: ["a-"], count: .imageCountMoreThan(1)),
        ])
        #expect(found == ["lifecycle rule 1 (priority 1): a tagStatus any rule must have the highest rulePriority (2 is higher), so that it is evaluated last"])
    }

    @Test func taggedNeedsPrefixesOrPatternsAndUntaggedTakesNeither() {
        let found = problems([
            LifecycleRule(priority: 1, tagStatus: .tagged, count: .imageCountMoreThan(1)),
            LifecycleRule(priority: 2, tagStatus: .untagged, tagPrefixes: ["x"], count: .sinceImagePushed(days: 1)),
            LifecycleRule(priority: 3, tagStatus: .tagged, tagPrefixes: ["a"], tagPatterns: ["b*"], count: .imageCountMoreThan(1)),
        ])
        #expect(found == [
            "lifecycle rule 1 (priority 1): tagStatus tagged needs tagPrefixList or tagPatternList",
            "lifecycle rule 2 (priority 2): tagStatus untagged takes neither tagPrefixList nor tagPatternList",
            "lifecycle rule 3 (priority 3): give tagPrefixList or tagPatternList, not both",
        ])
    }

    @Test func patternsHaveAtMostFourWildcards() {
        let found = problems([
            LifecycleRule(priority: 1, tagStatus: .tagged, tagPatterns: ["*a*b*c*"], count: .imageCountMoreThan(1)),
            LifecycleRule(priority: 2, tagStatus: .tagged, tagPatterns: ["*a*b*c*d*"], count: .imageCountMoreThan(1)),
        ])
        #expect(found == ["lifecycle rule 2 (priority 2): tag pattern *a*b*c*d* has 5 wildcards; ECR allows at most 4"])
    }

    @Test func countsMustBePositive() {
        let found = problems([
            LifecycleRule(priority: 1, tagStatus: .tagged, tagPrefixes: ["a-"], count: .imageCountMoreThan(0)),
            LifecycleRule(priority: 2, tagStatus: .untagged, count: .sinceImagePushed(days: 0)),
            LifecycleRule(priority: 0, tagStatus: .untagged, count: .sinceImagePushed(days: 1)),
        ])
        #expect(found == [
            "lifecycle rule 1 (priority 1): imageCountMoreThan needs a count of 1 or more, got 0",
            "lifecycle rule 2 (priority 2): sinceImagePushed needs 1 or more days, got 0",
            "lifecycle rule 3 (priority 0): rulePriority must be 1 or more",
        ])
    }

    @Test func anEmptyPolicyIsRejected() {
        #expect(problems([]) == ["lifecycle policy: has no rules; add keepMostRecent or expireUntagged"])
    }
}
