import ArgumentParser
import BerthDeploy
import BerthModel

/// `--commit-sha` and `--build-time`, as a deploy records them and a diff compares them, and
/// where the commit comes from when they do not say (`BuildProvenance`).
struct BuildMetadataOptions: ParsableArguments {
    @Option(
        name: .customLong("commit-sha"),
        help: "The commit the images were built from (COMMIT_SHA in the tasks); by default what the tag's first deploy recorded, else the tag's, else GITHUB_SHA or the work tree's HEAD.")
    var commitSHA: String?

    @Option(
        name: .customLong("build-time"),
        help: "When the images were built (BUILD_TIME in the tasks); by default what the tag's first deploy recorded, else the tag's time.")
    var buildTime: String?

    func validate() throws {
        if let problem = commitSHA.flatMap(BuildProvenance.commitProblem) { throw ValidationError("--commit-sha: \(problem)") }
        if let problem = buildTime.flatMap(BuildProvenance.buildTimeProblem) { throw ValidationError("--build-time: \(problem)") }
    }

    /// What the flags give.
    var given: [ParameterSource.BuildMetadata: String] {
        var metadata: [ParameterSource.BuildMetadata: String] = [:]
        if let commitSHA { metadata[.commitSha] = commitSHA.lowercased() }
        if let buildTime { metadata[.buildTime] = buildTime }
        return metadata
    }

    /// Where the rest comes from: the commit being built is `GITHUB_SHA` (warned of and passed
    /// over when it is no commit), else the work tree's HEAD, asked of git only when the flags
    /// leave something to say and `asksGit`.
    func provenance(context: Berth.Context, asksGit: Bool) -> BuildProvenance {
        var githubSHA = context.environment["GITHUB_SHA"].flatMap { $0.isEmpty ? nil : $0 }
        if let problem = githubSHA.flatMap(BuildProvenance.commitProblem) {
            context.warn("GITHUB_SHA: \(problem); not recorded as the commit")
            githubSHA = nil
        }
        let git = githubSHA == nil && given.count < 2 && asksGit
        return BuildProvenance(currentCommit: githubSHA ?? (git ? GitWorkTree(directory: ".").head() : nil))
    }
}
