import BerthCLI

/// The CLI tests' own app, in the environments of `Fixtures/environments/`: a web front end, an
/// API and a background worker, as the sample app was when the tests were written. The tests run
/// on it rather than on the sample (`stacks/`), so that an edit to the sample changes only the
/// sample's goldens (SynthGoldenTests, DiffGoldenTests) and the demo.
///
/// The environment files say what runs where; this adds what YAML does not say, as the sample
/// does: the worker's permission to read its queue, and the API's tracing sidecar.
struct FixtureApp: AppDefinition {
    func makeApp(configuration: Configuration) throws -> App {
        var blueprint = try configuration.blueprint()
        // The worker takes orders from its environment's queue.
        blueprint.configureService("worker") { service, environment in
            service.taskRoleStatements.append(
                PolicyStatement(
                    sid: "ReadOrders", actions: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"],
                    resources: [
                        Intrinsic.sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:shop-\(environment.name)-orders")
                            .templateValue
                    ]))
        }
        // The API sends traces through an OpenTelemetry collector that runs beside it.
        blueprint.configureService("api") { service, _ in
            var collector = FargateService.Sidecar(
                name: "otel-collector", image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1", port: 4317,
                essential: false)
            collector.memoryReservation = 64
            service.sidecars.append(collector)
            service.dependsOn.append(.init(container: collector.name, condition: .start))
            service.taskRoleStatements.append(
                .allow(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], on: ["*"], sid: "SendTraces"))
        }
        return blueprint.build()
    }
}
