import Foundation
import Testing

@testable import BerthDeploy

@Suite struct ImageTagTemplateTests {
    private let commit = "0123abcd4567ef890123abcd4567ef890123abcd"
    /// 2026-11-22 09:30:15 UTC.
    private let time = Date(timeIntervalSince1970: 1_795_339_815)

    @Test func theStandardTagIsEnvironmentUTCTimeAndEightDigitsOfTheCommit() throws {
        let tag = try ImageTagTemplate.standard.tag(.init(environment: "dev", commit: commit, time: time, run: nil))
        #expect(tag.value == "dev-20261122-093015-0123abcd")
    }

    @Test func placeholdersFillFromTheCommitTimeAndRun() throws {
        let values = ImageTagTemplate.Values(environment: "prod", commit: commit.uppercased(), time: time, run: "417")
        #expect(try ImageTagTemplate("{env}-{sha8}-{run}").tag(values).value == "prod-0123abcd-417")
        #expect(try ImageTagTemplate("{env}-{date}.{time}-{sha12}").tag(values).value == "prod-20261122.093015-0123abcd4567")
        #expect(try ImageTagTemplate("{sha7}").tag(.init(environment: nil, commit: commit, time: time, run: nil)).value == "0123abc")
        #expect(try ImageTagTemplate("{sha}").tag(.init(environment: nil, commit: commit, time: time, run: nil)).value == commit)
    }

    @Test func whatCannotMakeAValidTagIsRefused() throws {
        let values = ImageTagTemplate.Values(environment: "dev", commit: commit, time: time, run: nil)
        #expect(throws: ImageTagTemplate.Problem.unknownPlaceholder("branch")) { try ImageTagTemplate("{env}-{branch}").tag(values) }
        #expect(throws: ImageTagTemplate.Problem.unclosedPlaceholder) { try ImageTagTemplate("{env}-{sha8").tag(values) }
        #expect(throws: ImageTagTemplate.Problem.missingRunNumber) {
            try ImageTagTemplate("{env}-{run}").tag(values)
        }
        // GITHUB_RUN_NUMBER is a whole number from 1: anything else is a mistake of the CI's set-up.
        for run in ["abc", "1.5", "-1", "0", "07", "\u{FF11}", String(repeating: "9", count: 21)] {
            #expect(throws: ImageTagTemplate.Problem.notARunNumber(run)) {
                try ImageTagTemplate("{env}-{run}").tag(.init(environment: "dev", commit: commit, time: time, run: run))
            }
        }
        #expect(try ImageTagTemplate("{env}-{run}").tag(.init(environment: "dev", commit: commit, time: time, run: "4711")).value == "dev-4711")
        #expect("\(ImageTagTemplate.Problem.notACommit("main"))".hasSuffix("expected 40 hexadecimal digits (64 in a SHA-256 repository)"))
        #expect(throws: ImageTagTemplate.Problem.missingPrefix(tag: "0123abcd", prefix: "dev-")) { try ImageTagTemplate("{sha8}").tag(values) }
        #expect(throws: ImageTagTemplate.Problem.notACommit("main")) {
            try ImageTagTemplate.standard.tag(.init(environment: "dev", commit: "main", time: time, run: nil))
        }
        // Fullwidth digits and letters are hex digits to Swift's Character, not to git.
        let fullwidth = "\u{FF21}\u{FF22}\u{FF23}\u{FF24}\u{FF25}\u{FF26}" + String(commit.dropFirst(6))
        #expect(throws: ImageTagTemplate.Problem.notACommit(fullwidth)) {
            try ImageTagTemplate("v-{run}").tag(.init(environment: nil, commit: fullwidth, time: time, run: "5"))
        }
        #expect(throws: ImageTagTemplate.Problem.invalid(.invalidTag("dev-feature/x-0123abcd"))) {
            try ImageTagTemplate("{env}-feature/x-{sha8}").tag(values)
        }
        #expect(throws: ImageTagTemplate.Problem.invalid(.mutableTag("latest"))) {
            try ImageTagTemplate("latest").tag(.init(environment: nil, commit: commit, time: time, run: nil))
        }
        // The same tag for every commit: the second push would meet the first's immutable tag.
        for template in ["{env}-X", "{env}-{date}", "{env}-{time}", "{env}-{env}"] {
            #expect(throws: ImageTagTemplate.Problem.sameForEveryCommit) { try ImageTagTemplate(template).tag(values) }
        }
        #expect(try ImageTagTemplate("{env}-{date}-{time}").tag(values).value == "dev-20261122-093015")
    }
}
