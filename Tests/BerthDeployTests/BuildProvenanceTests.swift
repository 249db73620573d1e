import BerthModel
import Foundation
import Testing

@testable import BerthDeploy

/// Where a deploy takes the commit and build time it records when it is not told them.
struct BuildProvenanceTests {
    @Test func berthsTagFormatCarriesTheCommitsStartAndTheTime() throws {
        let facts = try #require(ImageTagFacts("prod-20261122-093000-0123abcd", template: .standard))
        #expect(facts.commitPrefix == "0123abcd")
        #expect(facts.time == Date(timeIntervalSince1970: 1_795_339_800))
        #expect(ImageTagFacts("v1.2.3", template: .standard) == nil)
        #expect(ImageTagFacts("prod-0123abcd-42", template: ImageTagTemplate("{env}-{sha8}-{run}"))?.commitPrefix == "0123abcd")
    }

    @Test func aFreshBuildTakesTheWholeCommitOnlyWhenItIsTheTags() {
        let head = "0123abcd" + String(repeating: "e", count: 32)
        let same = BuildProvenance(currentCommit: head)
        #expect(same.isCurrentBuild("dev-20261122-093000-0123abcd"))
        #expect(same.metadata(for: "dev-20261122-093000-0123abcd", firstShipped: nil) == [.commitSha: head, .buildTime: "2026-11-22T09:30:00Z"])
        let other = BuildProvenance(currentCommit: String(repeating: "f", count: 40))
        #expect(other.metadata(for: "dev-20261122-093000-0123abcd", firstShipped: nil)[.commitSha] == "0123abcd")
        #expect(other.metadata(for: "v1.2.3", firstShipped: nil) == [.commitSha: String(repeating: "f", count: 40)])
        #expect(BuildProvenance(currentCommit: nil).metadata(for: "v1.2.3", firstShipped: nil).isEmpty)
    }

    @Test func theDeployThatFirstShippedATagWins() {
        let provenance = BuildProvenance(currentCommit: String(repeating: "f", count: 40))
        let shipped = BuildProvenance.Shipped(commit: String(repeating: "1", count: 40), buildTime: "2026-11-01T00:00:00Z")
        #expect(
            provenance.metadata(for: "dev-20261122-093000-0123abcd", firstShipped: shipped)
                == [.commitSha: shipped.commit, .buildTime: "2026-11-01T00:00:00Z"])
    }
}
