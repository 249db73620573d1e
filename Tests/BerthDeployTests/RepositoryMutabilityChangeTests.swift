import Testing

@testable import BerthDeploy

/// What adopting a repository says of its tags that may move, whichever way the setting goes.
@Suite struct RepositoryMutabilityChangeTests {
    @Test func theChangeIsWordedByWhatItDoes() {
        #expect(RepositoryAdoption.mutabilityChange(from: "IMMUTABLE", [], to: "IMMUTABLE", []) == nil)
        #expect(
            RepositoryAdoption.mutabilityChange(from: "MUTABLE", [], to: "IMMUTABLE_WITH_EXCLUSION", ["latest"])
                == "tag mutability: MUTABLE becomes IMMUTABLE_WITH_EXCLUSION: only tags matching latest may move once pushed, where every tag could move")
        // From immutable, a tag made movable is not a tag that can no longer move.
        #expect(
            RepositoryAdoption.mutabilityChange(from: "IMMUTABLE", [], to: "IMMUTABLE_WITH_EXCLUSION", ["latest"])
                == "tag mutability: IMMUTABLE becomes IMMUTABLE_WITH_EXCLUSION: only tags matching latest may move once pushed, where no tag could move")
        #expect(
            RepositoryAdoption.mutabilityChange(from: "IMMUTABLE_WITH_EXCLUSION", ["latest", "main"], to: "IMMUTABLE_WITH_EXCLUSION", ["latest"])
                == "tag mutability: IMMUTABLE_WITH_EXCLUSION becomes IMMUTABLE_WITH_EXCLUSION: only tags matching latest may move once pushed, where only tags matching latest, main could move")
        #expect(
            RepositoryAdoption.mutabilityChange(from: "IMMUTABLE_WITH_EXCLUSION", ["latest"], to: "IMMUTABLE", [])
                == "tag mutability: IMMUTABLE_WITH_EXCLUSION becomes IMMUTABLE: no tag may move once pushed, where only tags matching latest could move")
        // Mutable but for some: the excluded tags were the fixed ones.
        #expect(
            RepositoryAdoption.mutabilityChange(from: "MUTABLE_WITH_EXCLUSION", ["v*"], to: "IMMUTABLE", [])
                == "tag mutability: MUTABLE_WITH_EXCLUSION becomes IMMUTABLE: no tag may move once pushed, where every tag but tags matching v* could move")
    }
}
