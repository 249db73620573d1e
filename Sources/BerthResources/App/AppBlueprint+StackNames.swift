import BerthTemplate

extension AppBlueprint {
    /// Two stacks of the app with one name: environment `web-dev`'s shared stack and service
    /// `web`'s stack in `dev` are both `shop-web-dev`. Checked over every environment's outline,
    /// so that a command limited to one environment (`--env web-dev`) cannot deploy or delete
    /// the other's stack under that name.
    static func stackNameClashes(_ outline: [StackOutline]) -> [ValidationProblem] {
        outline.repeats(by: \.name).map { other, stack in
            ValidationProblem(
                stack: stack.name, location: "stack name",
                message: "would be both \(role(of: other)) and \(role(of: stack)); rename the environment or the service")
        }
    }

    /// Two services of the app whose log group and task family would have one name,
    /// `<app>-<environment>-<service>`, in one region and account: service `web-api` in
    /// environment `dev` and service `api` in environment `dev-web` both log to
    /// `/berth/shop-dev-web-api`, and each would read the other's logs and run the other's task
    /// definitions. Their stacks' names differ. Checked over every environment, selected or not.
    func qualifiedNameClashes() -> [ValidationProblem] {
        typealias Named = (environment: EnvironmentSettings, service: String)
        let services: [Named] = environments.flatMap { environment in environment.services.map { (environment, $0.name) } }
        return services.repeats { "\($0.environment.region) \($0.environment.stacksAccount ?? "") \($0.environment.name)-\($0.service)" }
            .map { other, named in
                let qualified = "\(name)-\(named.environment.name)-\(named.service)"
                return ValidationProblem(
                    stack: serviceStackName(named.service, environment: named.environment.name), location: "log group",
                    message: "log group /berth/\(qualified) and task family \(qualified) would serve both service \(other.service) "
                        + "in environment \(other.environment.name) and service \(named.service) in environment \(named.environment.name); "
                        + "rename the environment or the service")
            }
    }

    /// `environment dev's shared stack`, `service web's stack in environment dev` or `service
    /// web's repository stack`.
    private static func role(of stack: StackOutline) -> String {
        switch (stack.service, stack.environment) {
        case (let service?, let environment?): "service \(service)'s stack in environment \(environment)"
        case (let service?, nil): "service \(service)'s repository stack"
        case (nil, let environment?): "environment \(environment)'s shared stack"
        case (nil, nil): "stack \(stack.name)"
        }
    }
}
