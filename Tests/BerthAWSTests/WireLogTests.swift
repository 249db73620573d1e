import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

@Suite struct WireLogTests {
    @Test func theDebugLogShowsTrafficButNoSecret() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let log = CapturedLog()
        let credentials = Credentials(
            accessKeyID: "AKIDLOGGED", secretAccessKey: "secret-key-must-not-appear", sessionToken: "session-token-must-not-appear",
            source: "test")
        let sts = STSClient(configuration: try testConfiguration(endpoint: endpoint, region: "us-east-1", credentials: credentials, wireLog: log.wireLog))
        _ = try await sts.getCallerIdentity()
        let assumed = try await sts.assumeRole(roleArn: "arn:aws:iam::123456789012:role/deployer", sessionName: "berth-log")
        let federated = try await sts.assumeRoleWithWebIdentity(
            roleArn: "arn:aws:iam::123456789012:role/github", sessionName: "berth-log", token: "web-identity-token-must-not-appear")
        let text = log.contents

        #expect(text.contains("→ GetCallerIdentity attempt 1: POST http://127.0.0.1:"))
        #expect(text.contains("← GetCallerIdentity: HTTP 200"))
        #expect(text.contains("Authorization: AWS4-HMAC-SHA256 Credential=AKIDLOGGED/"))
        #expect(text.contains("Signature=<redacted>"))
        #expect(text.contains("X-Amz-Security-Token: <redacted>"))
        #expect(text.contains("<SecretAccessKey><redacted></SecretAccessKey>"))
        #expect(text.contains("WebIdentityToken=<redacted>"))
        for secret in [
            "secret-key-must-not-appear", "session-token-must-not-appear", "web-identity-token-must-not-appear",
            assumed.secretAccessKey, assumed.sessionToken ?? "-", federated.secretAccessKey, federated.sessionToken ?? "-",
        ] {
            #expect(!text.contains(secret), "the log shows a secret")
        }
        #expect(text.range(of: "Signature=[0-9a-f]{64}", options: .regularExpression) == nil)
    }

    @Test func redactionCoversFormXMLAndJSON() {
        #expect(WireLog.redactBody("Action=X&WebIdentityToken=abc.def&Version=1") == "Action=X&WebIdentityToken=<redacted>&Version=1")
        #expect(WireLog.redactBody("<Token>t</Token><SessionToken>s</SessionToken>") == "<Token><redacted></Token><SessionToken><redacted></SessionToken>")
        #expect(WireLog.redactBody(#"{"AccessKeyId":"AKID","SecretAccessKey":"x","Token": "y"}"#) == #"{"AccessKeyId":"AKID","SecretAccessKey":"<redacted>","Token": "<redacted>"}"#)
        // Markers are matched by bytes: a value that starts with a combining mark is still redacted.
        #expect(WireLog.redactBody("<SessionToken>\u{301}secret</SessionToken>") == "<SessionToken><redacted></SessionToken>")
        // ECR's pre-signed layer URL carries the session token.
        #expect(
            WireLog.redactBody(#"{"downloadUrl":"https://bucket.s3.amazonaws.com/l?X-Amz-Security-Token=tok","layerDigest":"sha256:1"}"#)
                == #"{"downloadUrl":"<redacted>","layerDigest":"sha256:1"}"#)
        let session = #"{"session":{"sessionId":"ecs-execute-command-0a1b","streamUrl":"wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-0a1b?role=publish_subscribe","tokenValue":"AAEAAExecSecret"}}"#
        #expect(!WireLog.redactBody(session).contains("ExecSecret"), "ExecuteCommand's session token")
        #expect(WireLog.redactBody(session).contains(#""tokenValue":"<redacted>""#) && WireLog.redactBody(session).contains("ecs-execute-command-0a1b"))
        #expect(WireLog.redactBody("NotAToken=keep&Token=drop") == "NotAToken=keep&Token=<redacted>")
        // A task definition made by hand may hold a secret in a plain environment variable:
        // every value of ECS's environment entries is redacted in the calls that carry them.
        let definition = #"{"taskDefinition":{"containerDefinitions":[{"name":"api","environment":[{"name":"DB_PASSWORD","value":"hunter2"}]}]}}"#
        #expect(WireLog.redactBody(definition, operation: "DescribeTaskDefinition") == #"{"taskDefinition":{"containerDefinitions":[{"name":"api","environment":[{"name":"DB_PASSWORD","value":"<redacted>"}]}]}}"#)
        #expect(!WireLog.redactBody(definition, operation: "RunTask").contains("hunter2") && !WireLog.redactBody(definition, operation: "DescribeTasks").contains("hunter2"))
        #expect(WireLog.redactBody(#"{"tags":[{"key":"team","value":"web"}]}"#, operation: "ListTagsForResource").contains("web"))
        // An element's whole content goes, whatever it holds or its tag carries; a longer name is another element.
        #expect(
            WireLog.redactBody("<SecretAccessKey><![CDATA[cdata-secret]]></SecretAccessKey><SessionToken a=\"1\">attr-secret</SessionToken><TokenCode>keep</TokenCode><Token/>")
                == "<SecretAccessKey><redacted></SecretAccessKey><SessionToken a=\"1\"><redacted></SessionToken><TokenCode>keep</TokenCode><Token/>")
        #expect(WireLog.redactBody("<Token><b>markup-secret</b></Token>") == "<Token><redacted></Token>")
        // A member's string to its closing quote, whatever the spacing around the colon.
        #expect(
            WireLog.redactBody(#"{"Token" :\#n "a\"escaped-secret", "SessionToken":null, "tokenValue":"x\\"}"#)
                == #"{"Token" :\#n "<redacted>", "SessionToken":null, "tokenValue":"<redacted>"}"#)
        // Open tags that never close, or self-closed, many times over: linear, and the secret still goes.
        let many = String(repeating: "<Token ", count: 20_000) + "<Token>late-secret</Token>"
        #expect(WireLog.redactBody(many) == String(repeating: "<Token ", count: 20_000) + "<Token><redacted></Token>")
        let unclosed = String(repeating: "<Token ", count: 20_000)
        #expect(WireLog.redactBody(unclosed) == unclosed)
        let selfClosed = String(repeating: "<Token a=\"1\"/>", count: 20_000) + "<Token>late-secret</Token>"
        #expect(WireLog.redactBody(selfClosed).hasSuffix("<Token><redacted></Token>"))
        // Unclosed, the rest of the body goes.
        #expect(WireLog.redactBody("<Token>open-secret") == "<Token><redacted>")
        #expect(WireLog.redactBody(#"{"Token":"open-secret"#) == #"{"Token":"<redacted>"#)
        #expect(WireLog.redactHeader("X-Amz-Date", "20261122T000000Z") == "20261122T000000Z")
    }
}
