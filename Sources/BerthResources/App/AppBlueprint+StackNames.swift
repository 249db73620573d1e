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
    /// `<app>-<environment>-<service>`: service `web-api` in environment `dev` and service `api`
    /// in environment `dev-web` both log to `/berth/shop-dev-web-api`, and each would read the
    /// other's logs and run the other's task definitions. Their stacks' names differ.
    static func qualifiedNameClashes(_ outline: [StackOutline], app: String) -> [ValidationProblem] {
        let services = outline.filter { $0.phase == .ecs && $0.service != nil && $0.environment != nil }
        return services.repeats { "\($0.environment ?? "")-\($0.service ?? "")" }.map { other, stack in
            let qualified = "\(app)-\(stack.environment ?? "")-\(stack.service ?? "")"
            return ValidationProblem(
                stack: stack.name, location: "log group",
                message: "log group /berth/\(qualified) and task family \(qualified) would serve both service \(other.service ?? "") "
                    + "in environment \(other.environment ?? "") and service \(stack.service ?? "") in environment \(stack.environment ?? ""); "
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
