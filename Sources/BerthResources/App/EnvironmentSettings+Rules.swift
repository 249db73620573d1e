extension EnvironmentSettings {
    /// The whole-number keys of an environment's shared settings, described once (see
    /// `FargateService.Settings.Rules`): read by `EnvironmentConfig`, checked by `SharedEnvironment`.
    package enum Rules {
        /// `lifecycle.keepImages`: how many of the environment's images each repository keeps.
        package static var keepImages: WholeNumberRule<EnvironmentSettings> {
            .init("lifecycle.keepImages", 1...10_000, get: { $0.keepImages }, set: { $0.keepImages = $1 })
        }
    }
}
