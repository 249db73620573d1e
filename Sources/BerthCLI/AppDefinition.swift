import BerthResources

/// An application's stack definitions: what `berth` synthesizes and deploys.
///
/// The executable's `main` hands an `AppDefinition` to `Berth.main(_:)`.
public protocol AppDefinition: Sendable {
    /// Builds every stack of the app, for every environment in `configuration`.
    func makeApp(configuration: Configuration) throws -> App
}
