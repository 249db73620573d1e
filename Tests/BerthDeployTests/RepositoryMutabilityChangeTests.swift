import Testing

@testable import BerthDeploy

/// What adopting a repository says of its tags that may move, whichever way the setting goes.
@Suite struct RepositoryMutabilityChangeTests {
    @Test func theChangeIsWordedByWhatItDoes() {
        #expect(RepositoryAdoption.mutabilityChange(from: "IMMUTABLE", [], to: "IMMUTABLE", []) == nil)
        #expect(
            RepositoryAdoption.mutabilityChange(from: "MUTABLE", [], to: "IMMUTABLE_WITH_EXCLUSION", ["latest"])
                == "tag mutability: MUTABLE becomes IMMUTABLE_WITH_EXCLUSION (except tags matching latest): a pushed tag can no longer be moved")
        // From immutable, a tag made movable is not a tag that can no longer move.
        #expect(
            RepositoryAdoption.mutabilityChange(from: "IMMUTABLE", [], to: "IMMUTABLE_WITH_EXCLUSION", ["latest"])
                == "tag mutability: IMMUTABLE becomes IMMUTABLE_WITH_EXCLUSION (except tags matching latest): tags matching latest may be moved, where no tag could")
        #expect(
            RepositoryAdoption.mutabilityChange(from: "IMMUTABLE_WITH_EXCLUSION", ["latest", "main"], to: "IMMUTABLE_WITH_EXCLUSION", ["latest"])
                == "tag mutability: IMMUTABLE_WITH_EXCLUSION becomes IMMUTABLE_WITH_EXCLUSION (except tags matching latest): tags matching latest may be moved, where tags matching latest, main could")
        #expect(
            RepositoryAdoption.mutabilityChange(from: "IMMUTABLE_WITH_EXCLUSION", ["latest"], to: "IMMUTABLE", [])
                == "tag mutability: IMMUTABLE_WITH_EXCLUSION becomes IMMUTABLE: no pushed tag can be moved any more (tags matching latest could)")
    }
}
