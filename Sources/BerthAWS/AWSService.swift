/// The AWS services Berth calls.
public enum AWSService: String, Sendable, CaseIterable {
    case cloudformation, ec2, ecr, ecs, elasticloadbalancing, kms, logs, sts

    /// The name in SigV4's credential scope.
    public var signingName: String { rawValue }

    /// The first label of the service's regional host name.
    var hostPrefix: String {
        switch self {
        case .ecr: "api.ecr"
        default: rawValue
        }
    }

    /// The suffix of its service-specific endpoint variable: `AWS_ENDPOINT_URL_CLOUDFORMATION`
    /// (the SDKs' name: ELBv2's is `ELASTIC_LOAD_BALANCING_V2`).
    var environmentSuffix: String {
        switch self {
        case .elasticloadbalancing: "ELASTIC_LOAD_BALANCING_V2"
        default: rawValue.uppercased()
        }
    }
}

/// Where each service is reached: `--endpoint-url`, then `AWS_ENDPOINT_URL_<SERVICE>`, then
/// `AWS_ENDPOINT_URL`, then the service's regional HTTPS endpoint (the SDKs' convention).
public struct EndpointResolver: Sendable {
    public let region: String
    public let override: Endpoint?
    public let environment: [String: String]

    public init(region: String, override: Endpoint? = nil, environment: [String: String]) {
        self.region = region
        self.override = override
        self.environment = environment
    }

    /// The endpoint of `service`; throws when a variable holds something that is not a URL.
    public func endpoint(for service: AWSService) throws(ConfigurationProblem) -> Endpoint {
        if let override { return override }
        for name in ["AWS_ENDPOINT_URL_\(service.environmentSuffix)", "AWS_ENDPOINT_URL"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            guard let endpoint = Endpoint(serviceURL: value) else {
                throw ConfigurationProblem(
                    "\(name) is \"\(Endpoint.quotable(value))\", not an http(s) URL of a host and port such as http://127.0.0.1:5000 (no path: every call goes to its root)")
            }
            return endpoint
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return Endpoint(host: "\(service.hostPrefix).\(region).\(suffix)")
    }

    /// Checks every service's endpoint at once, so that a malformed `AWS_ENDPOINT_URL_<SERVICE>`
    /// is refused before the first call rather than when that service is first reached.
    public func checkAll() throws(ConfigurationProblem) {
        for service in AWSService.allCases { _ = try endpoint(for: service) }
    }
}

/// The region as the AWS CLI chooses it: the one the caller was given (its `--region`), then
/// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`.
public enum RegionResolver {
    public static func resolve(given: String?, environment: [String: String], profileRegion: String?) -> String? {
        for candidate in [given, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], profileRegion] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        return nil
    }

    /// The region as `resolve` chooses it, checked against AWS's region pattern; a value that only
    /// looks like a region is refused, naming where it came from. `profileName` names the profile
    /// whose `region` is `profileRegion`.
    public static func resolveChecked(
        given: String?, environment: [String: String], profileRegion: String?, profileName: String
    ) throws(ConfigurationProblem) -> String? {
        let candidates: [(source: String, value: String?)] = [
            ("the region given", given), ("AWS_REGION", environment["AWS_REGION"]), ("AWS_DEFAULT_REGION", environment["AWS_DEFAULT_REGION"]),
            ("the region of the profile \(profileName)", profileRegion),
        ]
        for candidate in candidates {
            guard let value = candidate.value, !value.isEmpty else { continue }
            guard RegionName.isValid(value) else {
                let shown = value.count > 64 ? "\(value.prefix(64))…" : value
                throw ConfigurationProblem("\(candidate.source) is \"\(shown)\", not an AWS region such as eu-west-1")
            }
            return value
        }
        return nil
    }
}

/// A setting that cannot be used as given.
public struct ConfigurationProblem: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
