import Foundation
import BerthTestSupport
import Testing

/// `--ca-bundle` and `AWS_CA_BUNDLE` against moto over HTTPS with a self-signed certificate:
/// trusted through the bundle, refused without it.
@Suite struct CABundleTests {
    @Test func aSelfSignedEndpointIsTrustedOnlyThroughTheBundle() async throws {
        let moto = try await MotoServer.tls.endpoint()
        let bundle = MotoServer.tlsCertificate
        let config = try configuration(["dev.yaml": minimalEnvironment.replacingOccurrences(of: "app: shop", with: "app: tls")])
        let base = ["diff", "--config", config, "--phase", "ecr", "--endpoint-url", moto.origin]
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDTLS", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home"]
        #expect(moto.origin.hasPrefix("https://127.0.0.1:"))

        let flag = await runBerth(base + ["--ca-bundle", bundle], environment: environment)
        #expect(flag.status == 0, "\(flag.err)")
        #expect(flag.out.contains("Stack tls-api-ecr (eu-west-1): not deployed"))

        var withVariable = environment
        withVariable["AWS_CA_BUNDLE"] = bundle
        let variable = await runBerth(base, environment: withVariable)
        #expect(variable.status == 0, "\(variable.err)")

        let untrusted = await runBerth(base + ["--max-attempts", "1"], environment: environment)
        #expect(untrusted.status == 5)
        #expect(untrusted.err.lowercased().contains("certificate"), "\(untrusted.err)")

        let missing = await runBerth(base + ["--ca-bundle", "/nonexistent/ca.pem"], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.err.contains("/nonexistent/ca.pem"))
    }
}
