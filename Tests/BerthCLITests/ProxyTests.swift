import Foundation
import BerthTestSupport
import Testing

/// HTTP_PROXY and NO_PROXY, from the environment berth is given, with a recording proxy in
/// front of moto.
@Suite struct ProxyTests {
    @Test func callsGoThroughTheProxyUnlessTheHostIsExempt() async throws {
        let moto = try await MotoServer.open.endpoint()
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let config = try configuration(["dev.yaml": minimalEnvironment.replacingOccurrences(of: "app: shop", with: "app: proxied")])
        let arguments = ["diff", "--config", config, "--phase", "ecr", "--endpoint-url", moto.origin]
        var environment = ["AWS_ACCESS_KEY_ID": "AKIDPROXY", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home"]

        environment["HTTP_PROXY"] = proxy.url
        let proxied = await runBerth(arguments, environment: environment)
        #expect(proxied.status == 0, "\(proxied.err)")
        #expect(proxied.out.contains("Stack proxied-api-ecr (eu-west-1): not deployed"))
        // A proxy is sent the whole URL.
        #expect(proxy.requests.first?.target == moto.origin + "/")

        let seen = proxy.requests.count
        environment["NO_PROXY"] = "127.0.0.1"
        let direct = await runBerth(arguments, environment: environment)
        #expect(direct.status == 0, "\(direct.err)")
        #expect(proxy.requests.count == seen)

        // An https proxy setting does not apply to an http endpoint.
        let secureOnly = ["HTTPS_PROXY": proxy.url].merging(environment.filter { !$0.key.hasSuffix("PROXY") }) { first, _ in first }
        #expect(await runBerth(arguments, environment: secureOnly).status == 0)
        #expect(proxy.requests.count == seen)
    }
}
