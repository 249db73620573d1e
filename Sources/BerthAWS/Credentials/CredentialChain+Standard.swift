extension CredentialChain {
    /// The AWS CLI's order: environment variables, web identity, the shared files' profile,
    /// container credentials, EC2 instance metadata. A profile named on the command line
    /// (`profile`) comes first, as `--profile` does in the CLI.
    ///
    /// - Parameter sts: an STS client that signs with the given credentials (used for roles).
    public static func standard(
        environment: [String: String], profile: String?, http: HTTPClient,
        sts: @escaping @Sendable (any CredentialProvider) -> STSClient
    ) -> CredentialChain {
        let anonymous = StaticCredentialProvider(Credentials(accessKeyID: "", secretAccessKey: "", source: "none"))
        let profileSource = ProfileCredentialSource(
            profile: profile, environment: environment, files: SharedConfigFiles(environment: environment), sts: sts)
        var sources: [any CredentialSource] = [
            EnvironmentCredentialSource(environment: environment),
            WebIdentityCredentialSource(environment: environment, sts: { sts(anonymous) }),
            profileSource,
            ContainerCredentialSource(environment: environment, http: http),
            InstanceMetadataCredentialSource(environment: environment, http: http),
        ]
        if profile != nil {
            sources.removeAll { $0 is ProfileCredentialSource || $0 is EnvironmentCredentialSource }
            sources.insert(profileSource, at: 0)
        }
        return CredentialChain(sources: sources)
    }
}
