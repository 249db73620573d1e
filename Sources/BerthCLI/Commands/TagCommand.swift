import ArgumentParser
import BerthDeploy
import Foundation

/// `berth tag`: a unique, valid, immutable image tag for the commit being built.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Print a unique, immutable image tag for this commit: dev-20261122-093000-0123abcd.",
        discussion: """
            The commit is GITHUB_SHA when set, else the work tree's HEAD; the time is now in UTC \
            (SOURCE_DATE_EPOCH when set). A work tree with uncommitted changes is refused: its image would \
            not be what the commit says. The tag always matches Docker's grammar and, with --env, starts \
            with the environment's prefix, so that its lifecycle rule counts it.

            Examples:
              berth tag --env dev                      dev-20261122-093000-0123abcd
              berth tag --env prod --format '{env}-{sha8}-{run}'
              TAG=$(berth tag --env dev) && docker build -t "$REPOSITORY:$TAG" .

            Placeholders: {env} {sha} {sha7} {sha8} {sha12} {date} {time} {timestamp} {run}.
            Exit codes: 0 printed; 2 invalid input (no commit, a dirty work tree, an unknown \
            environment or placeholder, a tag that would not be valid).
            """)

    @OptionGroup var appOptions: AppOptions

    @Option(help: "The environment the image is for: the tag starts with its name (needed by the default format).")
    var env: String?

    @Option(help: "The tag's template.")
    var format = ImageTagTemplate.standard.text

    @Flag(name: .customLong("allow-dirty"), help: "Tag a work tree with uncommitted changes.")
    var allowDirty = false

    @Option(help: ArgumentHelp("The git work tree whose HEAD is tagged.", valueName: "dir"))
    var repository = "."

    func run() throws {
        let context = try Berth.currentContext()
        let time = try SourceDateEpoch.date(in: context.environment) ?? Date()
        // Without --env no environment file is read: --from and --config would be ignored.
        if env == nil, let given = appOptions.template.map({ _ in "--from" }) ?? appOptions.configDirectory.map({ _ in "--config" }) {
            throw CommandFailure(.inputError, "\(given) reads the environments, which berth tag does only with --env; add --env NAME")
        }
        if let env {
            let configuration = try appOptions.configuration(environment: env)
            let known = try configuration.environments().map(\.name)
            guard known.contains(env) else {
                throw CommandFailure(
                    .inputError,
                    "no environment \(env); the app has \(known.joined(separator: ", ")), and its lifecycle rules count only their tags"
                        + configuration.previewHint(for: env))
            }
            try configuration.checkNewPreviewNames()
            // A tag whose prefix another environment's lifecycle rule counts would be expired by
            // that environment's pushes: refused here as synth refuses the files.
            // (A preview's is checked above.)
            let files = try configuration.environments().filter { $0.settings.template == nil } + (try configuration.templates())
            if let own = files.first(where: { $0.name == env }) {
                for other in files where other.name != env {
                    guard let clash = AppBlueprint.sharedTagPrefixes([other.settings, own.settings]).first else { continue }
                    throw CommandFailure(.inputError, "\(clash.location): \(clash.message)")
                }
            }
        }
        // Needed only when git names the commit: with GITHUB_SHA, no work tree there is taken
        // as none checked out (the clean-tree check below passes it, as before).
        var isDirectory: ObjCBool = false
        if context.environment["GITHUB_SHA"]?.isEmpty ?? true,
            !(FileManager.default.fileExists(atPath: repository, isDirectory: &isDirectory) && isDirectory.boolValue)
        {
            throw CommandFailure(.inputError, "--repository \(repository): no such directory; name the git work tree whose HEAD is tagged")
        }
        let git = GitWorkTree(directory: repository)
        let commit: String
        if let sha = context.environment["GITHUB_SHA"], !sha.isEmpty {
            commit = sha
        } else {
            guard let head = git.head() else {
                throw CommandFailure(.inputError, "no commit to tag: set GITHUB_SHA, or run in a git work tree (--repository DIR)")
            }
            commit = head
        }
        if !allowDirty {
            switch git.uncommittedChanges() {
            case .success(let changes) where !changes.isEmpty:
                throw CommandFailure(
                    .inputError,
                    "the work tree has uncommitted changes (\(changes.prefix(3).joined(separator: ", "))\(changes.count > 3 ? ", …" : "")): "
                        + "an image built from it is not what \(commit.prefix(8)) says; commit them, leave out of git what builds make "
                        + "(.gitignore: .build/, /out/), or pass --allow-dirty")
            case .failure(let failure) where git.head() != nil || !failure.message.contains("not a git repository"):
                // A repository whose work tree git cannot read (its .git directory, a damaged
                // index, one git refuses as of another owner) may hold changes: not taken for clean.
                throw CommandFailure(
                    .inputError,
                    "cannot tell whether the work tree \(repository) has uncommitted changes (git status: \(failure.message)); "
                        + "mend what git says, name the work tree with --repository, or pass --allow-dirty")
            default:
                // Clean, or no repository at all (GITHUB_SHA named the commit): nothing to check.
                break
            }
        }
        do {
            let tag = try ImageTagTemplate(format).tag(
                .init(environment: env, commit: commit, time: time, run: context.environment["GITHUB_RUN_NUMBER"]))
            context.console.write(tag.value + "\n")
        } catch {
            throw CommandFailure(.inputError, "cannot make a tag from \(format): \(ErrorWording.text(error))")
        }
    }
}
