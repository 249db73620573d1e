import BerthAWS
import ArgumentParser
import Foundation

/// Options of every command that talks to AWS.
struct AWSOptions: ParsableArguments {
    @Option(help: "The AWS region (default: the environment file's region).")
    var region: String?

    @Option(help: "A profile of the shared AWS config and credentials files.")
    var profile: String?

    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (a local moto, a VPC endpoint).")
    var endpointURL: String?

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("A CA bundle to trust instead of the system's (also AWS_CA_BUNDLE).", valueName: "file"))
    var caBundle: String?

    // Unconditional: a negative number is the option's value (refused by its range), not a flag.
    @Option(name: .customLong("max-attempts"), parsing: .unconditional, help: "Attempts per AWS call, the first included.")
    var maxAttempts = 3

    @Flag(help: "Log every AWS request and answer to standard error, secrets redacted.")
    var debug = false

    func validate() throws {
        if let region, !RegionName.isValid(region) {
            throw ValidationError("--region must be an AWS region such as eu-west-1, got \"\(region.prefix(64))\"")
        }
        if let endpointURL, Endpoint(serviceURL: endpointURL) == nil {
            throw ValidationError(
                "--endpoint-url must be an http(s) URL of a host and port, without a path, query or fragment (every call goes to its root), got \"\(Endpoint.quotable(endpointURL))\"")
        }
        // An empty name would read as no --profile in one place and as one in another.
        if profile?.isEmpty == true { throw ValidationError("--profile must name a profile of the shared AWS files, got an empty name") }
        guard (1...10).contains(maxAttempts) else { throw ValidationError("--max-attempts must be 1 to 10") }
    }

    /// The configuration of AWS calls for a stack in `stackRegion`: `--region` wins over it.
    /// No single call waits much longer than `within` (the command's `--timeout`) for its answer:
    /// a second longer, so that the command's own deadline, which stops every call it has under
    /// way, comes first and says which command ran out of time.
    func configuration(stackRegion: String?, context: Berth.Context, within limit: Duration) throws -> AWSConfiguration {
        let environment = context.environment
        let files = SharedConfigFiles(environment: environment)
        if let problem = files.problems.first { throw CommandFailure(.inputError, problem) }
        let profileName = SharedConfigFiles.profileName(given: profile, environment: environment)
        let fallback: String?
        do {
            fallback = try RegionResolver.resolveChecked(
                given: nil, environment: environment, profileRegion: files.profiles[profileName]?["region"], profileName: profileName)
        } catch {
            throw CommandFailure(.inputError, error.description)
        }
        guard let region = region ?? stackRegion ?? fallback else {
            throw CommandFailure(.inputError, "no AWS region: pass --region or set AWS_REGION")
        }
        try Crypto.load()
        let bundle = caBundle ?? environment["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
        if let bundle {
            do {
                try RegularFile.check(bundle)
            } catch {
                throw CommandFailure(.inputError, "the CA bundle \(bundle) cannot be read: it \(error.problem)")
            }
        }
        let defaults = HTTPClient.Timeouts()
        let http = try HTTPClient(
            timeouts: .init(connect: min(defaults.connect, limit), request: min(defaults.request, limit + .seconds(1))), caBundle: bundle,
            proxies: ProxySettings(environment: environment))
        let endpoints = EndpointResolver(region: region, override: endpointURL.flatMap(Endpoint.init(url:)), environment: environment)
        do {
            try endpoints.checkAll()
        } catch {
            throw CommandFailure(.inputError, error.description)
        }
        let console = context.console
        let wireLog = debug ? WireLog { console.writeError($0) } : nil
        let retry = RetryPolicy(maxAttempts: maxAttempts)
        let anonymous = StaticCredentialProvider(Credentials(accessKeyID: "", secretAccessKey: "", source: "none"))
        var base = AWSConfiguration(
            region: region, endpoints: endpoints, credentials: anonymous, http: http, retry: retry, wireLog: wireLog)
        let stsBase = base
        base.credentials = CredentialChain.standard(
            environment: environment, profile: profile, http: http,
            sts: { provider in
                var configuration = stsBase
                configuration.credentials = provider
                return STSClient(configuration: configuration)
            })
        return base
    }
}
