import BerthAWS
import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// `berth exec` against scripted CloudFormation and ECS answers (`ScriptedExec`, written from the
/// API reference: moto cannot model ExecuteCommand sessions), with a stand-in
/// `session-manager-plugin` first on PATH that records its arguments. They must be what the AWS
/// CLI passes (awscli/customizations/ecs/executecommand.py): the session as `json.dumps` writes
/// it, the region, `StartSession`, the profile or "", `{"Target": "ecs:<cluster>_<task ID>_<runtime
/// ID>"}` and the ECS endpoint URL.
struct ExecCommandTests {
    private static let cluster = "shop-dev"
    private static let serviceName = "shop-api-dev-Service-0ABCDEF"
    private static let primaryTask = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

    /// A directory with a stand-in plugin that writes each argument, NUL-terminated, to `argv`
    /// next to it, and its blocked and ignored signals and its process group to `signals` (from
    /// /proc, read by the shell's builtins: a child's reading would race with the shell's own
    /// blocking of signals around it), then exits with `exitCode`.
    /// It answers `--version` with `version`, and writes the session variable (set or not) to
    /// `session` next to it.
    private func standIn(exitCode: Int = 0, version: String = "1.2.707.0") throws -> (directory: String, record: String) {
        let directory = try temporaryDirectory()
        let record = directory + "/argv"
        let script = """
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo '\(version)'; exit 0; fi
            printf '%s\\0' "$0" "$@" > '\(record)'
            printf '%s' "${AWS_SSM_START_SESSION_RESPONSE-unset}" > '\(directory)/session'
            while IFS= read -r line; do case "$line" in SigBlk*|SigIgn*) printf '%s\\n' "$line";; esac; done < /proc/$$/status > '\(directory)/signals'
            read -r _ _ _ _ group _ < /proc/$$/stat; printf 'PGrp: %s\\n' "$group" >> '\(directory)/signals'
            exit \(exitCode)

            """
        let path = directory + "/session-manager-plugin"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (directory, record)
    }

    private func recordedArguments(_ record: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: record))
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    private func environment(path: String, extra: [String: String] = [:]) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDEXECTEST", "AWS_SECRET_ACCESS_KEY": "exec-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home", "PATH": path,
        ].merging(extra) { _, new in new }
    }

    private func config(execCommand: Bool = true) throws -> String {
        try configuration(["dev.yaml": minimalEnvironment + (execCommand ? "execCommand: true\n" : "")])
    }

    private func scripted(_ tasks: [ScriptedExec.Task]) -> ScriptedExec {
        ScriptedExec(stackName: "shop-api-dev", app: "shop", cluster: Self.cluster, serviceName: Self.serviceName, tasks: tasks)
    }

    @Test func picksAPrimaryTaskAndHandsThePluginWhatTheAWSCLIPasses() async throws {
        let aws = scripted([
            .init(id: "0000000000000000000000000000000f", deployment: ScriptedExec.olderDeployment, startedAt: 1_794_000_000,
                  containers: [("api", "0000000000000000000000000000000f-1111111111")]),
            .init(id: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", startedAt: 1_795_000_500, containers: [("api", "bbbb-2222")]),
            .init(id: Self.primaryTask, startedAt: 1_795_000_000,
                  containers: [("ecs-service-connect-1a2b", "aaaa-0000"), ("api", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-3333333333")]),
        ])
        let server = try TestHTTPServer { aws.answer($0) }
        let plugin = try standIn()
        let result = await runBerth(
            ["exec", "--config", try config(), "--env", "dev", "--service", "api", "--endpoint-url", server.url, "--debug"],
            environment: environment(path: plugin.directory + ":/usr/bin:/bin"))
        #expect(result.status == 0, "\(result.err)")
        #expect(aws.operations == ["DescribeStacks", "DescribeServices", "ListTasks", "DescribeTasks", "ExecuteCommand"])
        let execute = try #require(aws.calls.last?.body)
        #expect(execute["cluster"] as? String == Self.cluster)
        #expect(execute["task"] as? String == aws.taskArn(Self.primaryTask), "the longest-running task of the primary deployment")
        #expect(execute["container"] as? String == "api")
        #expect(execute["command"] as? String == "/bin/sh")
        #expect(execute["interactive"] as? Bool == true)
        let session = #"{"sessionId": "\#(ScriptedExec.sessionID)", "streamUrl": "\#(ScriptedExec.streamURL)", "tokenValue": "\#(ScriptedExec.token)"}"#
        // A plugin later than 1.2.497.0 takes the session from AWS_SSM_START_SESSION_RESPONSE, as
        // `aws ssm start-session` passes it: the token stays out of the process list.
        #expect(try String(contentsOfFile: plugin.directory + "/session", encoding: .utf8) == session)
        #expect(try recordedArguments(plugin.record) == [
            plugin.directory + "/session-manager-plugin", "AWS_SSM_START_SESSION_RESPONSE", "eu-west-1", "StartSession", "",
            #"{"Target": "ecs:shop-dev_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-3333333333"}"#, server.url,
        ])
        #expect(result.err.contains("api: /bin/sh in container api of task \(Self.primaryTask)"), "\(result.err)")
        // The plugin shares berth's process group (the terminal's foreground one, so that it reads
        // the keyboard and gets Ctrl-C), with no signal blocked and Ctrl-C, Ctrl-\\ and Ctrl-Z not ignored.
        let signals = try String(contentsOfFile: plugin.directory + "/signals", encoding: .utf8)
        let fields = Dictionary(
            signals.split(separator: "\n").map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return (parts.first ?? "", parts.last ?? "")
            }, uniquingKeysWith: { first, _ in first })
        #expect(fields["PGrp"] == "\(getpgrp())", "\(signals)")
        #expect(UInt64(fields["SigBlk"] ?? "", radix: 16) == 0, "\(signals)")
        let ignored = UInt64(fields["SigIgn"] ?? "", radix: 16) ?? .max
        for number in [SIGINT, SIGQUIT, SIGTSTP] { #expect(ignored & (1 << UInt64(number - 1)) == 0, "signal \(number) ignored: \(signals)") }
        // The session token never shows, not even in the --debug wire log.
        #expect(result.err.contains("← ExecuteCommand"), "the wire log ran")
        #expect(!result.err.contains(ScriptedExec.token) && !result.out.contains(ScriptedExec.token))
        #expect(!result.err.contains("ExecSessionTokenSecret"))
    }

    @Test func aChosenTaskAndContainerTheProfileAndThePluginsExitCode() async throws {
        let sidecar = "ffffffffffffffffffffffffffffffff-4444444444"
        let aws = scripted([.init(id: Self.primaryTask, containers: [("api", "aaaa-1"), ("log-router", sidecar)])])
        let server = try TestHTTPServer { aws.answer($0) }
        let plugin = try standIn(exitCode: 3)
        let files = try temporaryDirectory()
        try "[profile ops]\nregion = eu-west-1\n".write(toFile: files + "/config", atomically: true, encoding: .utf8)
        try "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = ops-secret\n"
            .write(toFile: files + "/credentials", atomically: true, encoding: .utf8)
        let result = await runBerth(
            [
                "exec", "--config", try config(), "--env", "dev", "--service", "api", "--endpoint-url", server.url,
                "--task", Self.primaryTask, "--container", "log-router", "--command", "cat /etc/os-release",
            ],
            environment: environment(
                path: "/nonexistent-bin:" + plugin.directory + "/:/usr/bin:/bin",
                extra: ["AWS_PROFILE": "ops", "AWS_CONFIG_FILE": files + "/config", "AWS_SHARED_CREDENTIALS_FILE": files + "/credentials"]))
        #expect(result.status == 3, "the plugin's exit code: \(result.err)")
        #expect(aws.operations == ["DescribeStacks", "DescribeTasks", "ExecuteCommand"])
        let execute = try #require(aws.calls.last?.body)
        #expect(execute["task"] as? String == aws.taskArn(Self.primaryTask))
        #expect(execute["container"] as? String == "log-router")
        #expect(execute["command"] as? String == "cat /etc/os-release")
        let arguments = try recordedArguments(plugin.record)
        #expect(arguments.count == 7)
        #expect(arguments.dropFirst(2) == ["eu-west-1", "StartSession", "ops", #"{"Target": "ecs:shop-dev_\#(Self.primaryTask)_\#(sidecar)"}"#, server.url])
    }

    /// The cluster is the environment's: `--task` naming another service's task is refused,
    /// before any session.
    @Test func aTaskOfAnotherServiceIsRefused() async throws {
        var web = ScriptedExec.Task(id: "cccccccccccccccccccccccccccccccc", containers: [("web", "cccc-1")])
        web.group = "service:shop-web-dev-Service-0FEDCBA"
        let aws = scripted([.init(id: Self.primaryTask, containers: [("api", "aaaa-1")]), web])
        let server = try TestHTTPServer { aws.answer($0) }
        let plugin = try standIn()
        let result = await runBerth(
            ["exec", "--config", try config(), "--env", "dev", "--service", "api", "--task", web.id, "--endpoint-url", server.url],
            environment: environment(path: plugin.directory))
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.contains("task \(web.id) is not one of api's (its group is service:shop-web-dev-Service-0FEDCBA)"), "\(result.err)")
        #expect(!aws.operations.contains("ExecuteCommand"))
        #expect(!FileManager.default.fileExists(atPath: plugin.record))
    }

    /// SIGTERM to berth while the plugin runs goes on to the plugin, which (as AWS's plugin does)
    /// does not catch it and ends; berth then ends with its status, and leaves no plugin running
    /// without it. In a process of its own (the built `berth`), as the signal reaches the whole process.
    @Test func aTerminationSignalToBerthGoesOnToThePlugin() async throws {
        let aws = scripted([.init(id: Self.primaryTask, containers: [("api", "aaaa-1")])])
        let server = try TestHTTPServer { aws.answer($0) }
        defer { server.stop() }
        let directory = try temporaryDirectory()
        let plugin = directory + "/session-manager-plugin"
        try """
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo 1.2.707.0; exit 0; fi
            echo $$ > '\(directory)/started'
            exec sleep 60

            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin)
        let process = Process()
        process.executableURL = try builtExecutable("berth")
        process.arguments = ["exec", "--config", fixtureConfiguration, "--env", "dev", "--service", "api", "--endpoint-url", server.url]
        process.environment = environment(path: directory + ":/usr/bin:/bin")
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        let errors = PipeReader(err)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try await waitUntil("the plugin to start") { FileManager.default.fileExists(atPath: directory + "/started") || !process.isRunning }
        #expect(process.isRunning, "\(errors.text)")
        kill(process.processIdentifier, SIGTERM)
        try await waitUntil("berth to end", timeout: .seconds(30)) { !process.isRunning }
        #expect(process.terminationStatus == 143, "\(errors.text)")
        let pluginID = try String(contentsOfFile: directory + "/started", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(kill(pid_t(pluginID) ?? 0, 0) != 0, "the plugin still runs")
    }

    /// A plugin of 1.2.497.0 or before (or one whose version cannot be read) reads the session
    /// only from its first argument: it gets it there, as the AWS CLI's `ecs execute-command` passes it.
    @Test func anOlderPluginGetsTheSessionAsItsFirstArgument() async throws {
        for version in ["1.2.497.0", "not a version"] {
            let aws = scripted([.init(id: Self.primaryTask, containers: [("api", "aaaa-1")])])
            let server = try TestHTTPServer { aws.answer($0) }
            defer { server.stop() }
            let plugin = try standIn(version: version)
            let result = await runBerth(
                ["exec", "--config", try config(), "--env", "dev", "--service", "api", "--endpoint-url", server.url],
                environment: environment(path: plugin.directory + ":/usr/bin:/bin"))
            #expect(result.status == 0, "\(result.err)")
            let arguments = try recordedArguments(plugin.record)
            #expect(arguments.count == 7 && arguments[1].contains("\"tokenValue\": \"\(ScriptedExec.token)\""), "\(version): \(arguments)")
            #expect(try String(contentsOfFile: plugin.directory + "/session", encoding: .utf8) == "unset")
        }
    }

    @Test func aMissingPluginOrExecOffIsSaidBeforeAnyAWSCall() async throws {
        let aws = scripted([.init(id: Self.primaryTask, containers: [("api", "aaaa-1")])])
        let server = try TestHTTPServer { aws.answer($0) }
        let empty = try temporaryDirectory()
        let missing = await runBerth(
            ["exec", "--config", try config(), "--env", "dev", "--service", "api", "--endpoint-url", server.url],
            environment: environment(path: empty + ":/nonexistent-bin"))
        #expect(missing.status == 2)
        #expect(missing.err.contains("session-manager-plugin is not on PATH"), "\(missing.err)")
        #expect(missing.err.contains(ExecError.pluginInstallGuide))
        let plugin = try standIn()
        let off = await runBerth(
            ["exec", "--config", try config(execCommand: false), "--env", "dev", "--service", "api", "--endpoint-url", server.url],
            environment: environment(path: plugin.directory))
        #expect(off.status == 2)
        #expect(off.err.contains("ECS Exec is off for api in dev: set execCommand: true"), "\(off.err)")
        #expect(server.requests.isEmpty, "no AWS call")
        #expect(!FileManager.default.fileExists(atPath: plugin.record))
    }

    @Test func noTaskToOpenASessionInIsSaid() async throws {
        let plugin = try standIn()
        for (tasks, wanted) in [
            ([ScriptedExec.Task](), "api has no running task"),
            ([.init(id: "0f", deployment: ScriptedExec.olderDeployment, containers: [("api", "0f-1")])],
             "no task of api's primary deployment is running yet (1 of older deployments is)"),
            ([.init(id: Self.primaryTask, enableExecuteCommand: false, containers: [("api", "aaaa-1")])],
             "was started without ECS Exec"),
            ([.init(id: Self.primaryTask, containers: [("api", nil)])], "has no runtime ID yet"),
        ] {
            let aws = scripted(tasks)
            let server = try TestHTTPServer { aws.answer($0) }
            let result = await runBerth(
                ["exec", "--config", try config(), "--env", "dev", "--service", "api", "--endpoint-url", server.url],
                environment: environment(path: plugin.directory))
            #expect(result.status == 1, "\(wanted): \(result.err)")
            #expect(result.err.contains(wanted), "\(result.err)")
            #expect(!aws.operations.contains("ExecuteCommand"))
        }
        let aws = scripted([.init(id: Self.primaryTask, containers: [("api", "aaaa-1")])])
        let server = try TestHTTPServer { aws.answer($0) }
        let base = ["exec", "--config", try config(), "--env", "dev", "--service", "api", "--endpoint-url", server.url]
        let unknown = await runBerth(base + ["--task", "cccc"], environment: environment(path: plugin.directory))
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("no task cccc in the cluster shop-dev"), "\(unknown.err)")
        let container = await runBerth(base + ["--container", "web"], environment: environment(path: plugin.directory))
        #expect(container.status == 2)
        #expect(container.err.contains("has no container web; its containers: api"), "\(container.err)")
        #expect(!aws.operations.contains("ExecuteCommand"))
        #expect(!FileManager.default.fileExists(atPath: plugin.record), "the plugin never ran")
    }

    @Test func theSessionIsWrittenAsPythonsJSONDumps() throws {
        #expect(ExecSession.pythonJSON([("a", "é\"\\\n/\u{1}")]) == #"{"a": "\u00e9\"\\\n/\u0001"}"#)
        #expect(ExecSession.pythonJSON([("k", "😀")]) == #"{"k": "\ud83d\ude00"}"#)
        let partial = ExecSession.pluginArguments(
            session: .init(sessionId: "s", streamUrl: nil, tokenValue: "t"), region: "eu-west-1", profile: "", target: "ecs:c_t_r",
            endpoint: "https://ecs.eu-west-1.amazonaws.com")
        #expect(partial == [#"{"sessionId": "s", "tokenValue": "t"}"#, "eu-west-1", "StartSession", "", #"{"Target": "ecs:c_t_r"}"#, "https://ecs.eu-west-1.amazonaws.com"])
        // The endpoint the AWS CLI passes without --endpoint-url: the ECS client's, as botocore resolves it.
        #expect(try EndpointResolver(region: "eu-west-1", environment: [:]).endpoint(for: .ecs).origin == "https://ecs.eu-west-1.amazonaws.com")
        #expect(try EndpointResolver(region: "cn-north-1", environment: [:]).endpoint(for: .ecs).origin == "https://ecs.cn-north-1.amazonaws.com.cn")
        #expect(!"\(ECSClient.ExecuteCommandResponse.Session(sessionId: "s", streamUrl: "u", tokenValue: "secret-t"))".contains("secret-t"))
    }
}
