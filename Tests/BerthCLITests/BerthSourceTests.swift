import Testing

@testable import BerthConfig

/// What `--berth-version` and `--berth-url` take: what SwiftPM's `.package(url:from:)` resolves.
@Suite struct BerthSourceTests {
    @Test func versionsAreSemanticVersions() {
        for taken in ["0.5.0", "1.2.3", "10.20.30", "1.2.3-beta.1", "1.2.3-0.3.7", "1.2.3-alpha+001", "1.2.3+build.5", "1.0.0-x-y-z.--"] {
            #expect(AppScaffold.BerthSource.versionProblem(taken) == nil, "\(taken)")
        }
        for refused in ["latest", "", "1.0", "01.2.3", "1.2.3 ", "main", "1.2.3+a+b", "1.2.3-rc+a+b", "1.0.0-01", "1.2.3-+x", "1.0.0-alpha..1", "1.2.3+", "1.2.3-", "v1.2.3", "1.2.3-é"] {
            #expect(AppScaffold.BerthSource.versionProblem(refused) != nil, "\(refused)")
        }
    }

    @Test func urlsAreGitURLsOrPaths() {
        for taken in [
            "https://github.com/berth-swift/berth", "ssh://git@host/x.git", "git+ssh://host/x", "git@github.com:berth-swift/berth.git",
            "git@work_github:team/berth.git",
            "file:///srv/git/berth", "/srv/git/berth", "./berth", "../berth", "~/src/berth",
        ] {
            #expect(AppScaffold.BerthSource.urlProblem(taken) == nil, "\(taken)")
        }
        for refused in ["not a url", "", "ftp://x", "https://", "file://host/x", "@host:path", "mailto:a", "berth", "https://x/\u{7}",
            "mailto:a@b:c", "git@:path", "git@host:", "a/b@host:path", "git@ho st:path", "git@host/x:path"] {
            #expect(AppScaffold.BerthSource.urlProblem(refused) != nil, "\(refused)")
        }
    }
}
