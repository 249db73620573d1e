/// The names Berth gives an app's stacks, from what their tags say they are (`StackTags`):
/// one rule, which the blueprint names its stacks by and a deploy or destroy checks a stack
/// found by its tags against.
public enum StackName {
    /// `<app>-<environment>`: an environment's shared stack.
    public static func shared(app: String, environment: String) -> String { "\(app)-\(environment)" }

    /// `<app>-<service>-<environment>`: a service's stack in an environment.
    public static func service(_ service: String, app: String, environment: String) -> String { "\(app)-\(service)-\(environment)" }

    /// The last part of every repository stack's name: `ecr`.
    public static let repositorySuffix = "ecr"

    /// `<app>-<service>-ecr`: the phase-1 stack of a service's repository.
    public static func repository(_ service: String, app: String) -> String { "\(app)-\(service)-\(repositorySuffix)" }

    /// The name of the phase-2 stack of `app` and `environment` that the service tag `service`
    /// names: a service's stack, or the shared stack when there is no service.
    public static func phaseTwo(app: String, environment: String, service: String?) -> String {
        service.map { self.service($0, app: app, environment: environment) } ?? shared(app: app, environment: environment)
    }
}
