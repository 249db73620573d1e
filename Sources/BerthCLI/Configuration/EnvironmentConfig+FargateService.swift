import Resources

extension EnvironmentConfig {
    /// The service this environment describes, pulling from the repository of `repositoryStack`.
    public func fargateService(repositoryStack: String) -> FargateService {
        var service = FargateService(
            name: self.service, qualifiedName: "\(app)-\(name)-\(self.service)", repositoryStack: repositoryStack,
            size: size)
        service.desiredCount = desiredCount
        service.containerPort = containerPort
        service.cpuArchitecture = architecture
        service.healthCheck = healthCheck
        service.containerHealthCheck = containerHealthCheck
        service.environment = environment
        service.secrets = secrets
        service.logRetentionDays = logRetentionDays
        service.network = network
        service.autoscaling = autoscaling
        service.https = https
        service.enableExecuteCommand = enableExecuteCommand
        service.containerInsights = containerInsights
        service.minimumHealthyPercent = minimumHealthyPercent
        service.maximumPercent = maximumPercent
        return service
    }
}
