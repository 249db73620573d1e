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

    /// What --commit-sha and --build-time take: a commit's hexadecimal name (whole, SHA-1 or
    /// SHA-256, or shortened), and an ISO 8601 date and time with its zone.
    @Test func givenCommitsAndBuildTimesAreChecked() {
        for good in ["0123abcd", String(repeating: "a", count: 40), String(repeating: "F", count: 64), "dead"] {
            #expect(BuildProvenance.commitProblem(good) == nil, "\(good)")
        }
        for bad in ["", "abc", "zz", "0123abcg", String(repeating: "a", count: 65), "0123abcd\n::error::x", "0123 abcd"] {
            #expect(BuildProvenance.commitProblem(bad) != nil, "\(bad)")
        }
        for good in [
            "2026-11-22T09:30:00Z", "2026-11-22T10:30:00+01:00", "2026-11-22T09:30:00.123Z", "2026-11-22T04:30:00-05:00", "2026-11-22T10:30:00+0100",
            "2026-11-22T09:30:00,123456789+00:00",
        ] {
            #expect(BuildProvenance.buildTimeProblem(good) == nil, "\(good)")
        }
        for bad in [
            "yesterday", "2026-11-22", "2026-11-22 09:30:00Z", "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T09:30:00",
            "2026-11-22T09:30:00Z junk", "2026-11-22T09:30:00.Z", "2026-11-22T09:30:00+01", "2026-11-22T09:30:00+01:0",
        ] {
            #expect(BuildProvenance.buildTimeProblem(bad) != nil, "\(bad)")
        }
        #expect(BuildProvenance.commitProblem("0123abcd\n::error::x")?.contains("\\n::error::x") == true, "the value is shown escaped")
    }
}
