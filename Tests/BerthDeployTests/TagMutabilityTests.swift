import Testing

@testable import BerthDeploy

@Suite struct TagMutabilityTests {
    @Test(arguments: [
        ("latest", "latest", true), ("latest", "latest2", false), ("latest", "Latest", false), ("latest", "a-latest", false),
        ("*-latest", "dev-latest", true), ("*-latest", "-latest", true), ("*-latest", "latest", false),
        ("*-latest", "dev-latest-1", false), ("dev-*", "dev-", true), ("dev-*", "prod-1", false), ("*", "anything", true),
        ("a*b*c", "aXbYc", true), ("a*b*c", "abcabc", true), ("a*b*c", "acb", false), ("**", "", true), ("a.b", "aXb", false),
    ])
    func wildcardsMatchWholeTags(pattern: String, tag: String, matches: Bool) {
        #expect(TagMutability.wildcard(pattern, matches: tag) == matches)
    }

    @Test func whichTagsMoveFollowsTheSettingAndItsExceptions() {
        let exceptions = ["latest", "*-latest"]
        let immutable = TagMutability(setting: "IMMUTABLE_WITH_EXCLUSION", exclusionFilters: exceptions)
        #expect(immutable.tagCanMove("latest") && immutable.tagCanMove("dev-latest"))
        #expect(!immutable.tagCanMove("dev-20261205-1"))
        #expect(immutable.matchingFilter("dev-latest") == "*-latest")
        let mutable = TagMutability(setting: "MUTABLE_WITH_EXCLUSION", exclusionFilters: exceptions)
        #expect(!mutable.tagCanMove("latest") && mutable.tagCanMove("dev-20261205-1"))
        #expect(!TagMutability(setting: "IMMUTABLE", exclusionFilters: exceptions).tagCanMove("latest"))
        #expect(TagMutability(setting: "MUTABLE").tagCanMove("dev-1"))
        #expect(TagMutability(setting: nil).tagCanMove("dev-1"), "ECR's default is MUTABLE")
    }
}
