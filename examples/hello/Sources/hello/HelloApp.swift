import BerthCLI

/// A greeting API and the job that sends the greetings, as a team would write it for its own
/// app: the environment files say what runs where; this file adds what YAML does not say.
@main
struct HelloApp: AppDefinition {
    static func main() async {
        await Berth.main(HelloApp())
    }

    func makeApp(configuration: Configuration) throws -> App {
        var blueprint = try configuration.blueprint()
        // The sender reads greetings from a bucket: one extra permission on its task role.
        blueprint.configureService("sender") { service, environment in
            service.taskRoleStatements.append(
                .allow(["s3:GetObject"], on: ["arn:aws:s3:::hello-\(environment.name)-greetings/*"], sid: "ReadGreetings"))
        }
        // The API runs an Envoy proxy in front of it, and gives it time to drain on shutdown.
        blueprint.configureService("greeter") { service, _ in
            var envoy = FargateService.Sidecar(name: "envoy", image: "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod", port: 9901)
            envoy.memoryReservation = 128
            service.sidecars.append(envoy)
        }
        blueprint.extendServiceStack("greeter") { stack, handles, _ in
            stack.override(handles.taskDefinition.logicalID, "ContainerDefinitions.0.StopTimeout", with: 60)
            stack.template.addOutput(
                "TaskRoleArn", Output(handles.taskRole.getAtt("Arn"), description: "What the greeter's code runs as"))
        }
        return blueprint.build()
    }
}
