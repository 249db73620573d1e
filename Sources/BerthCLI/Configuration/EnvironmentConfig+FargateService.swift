import Resources

extension EnvironmentConfig {
    /// The service this environment describes, pulling from the repository of `repositoryStack`.
    public func fargateService(repositoryStack: String) -> FargateService {
        FargateService(
            name: service, qualifiedName: "\(app)-\(name)-\(service)", repositoryStack: repositoryStack,
            settings: settings)
    }
}
