import Foundation
import BerthAWS

extension StackDeployer {
    /// The service a stack operation is rolling out, and what was shown of it.
    struct RolloutProgress {
        var watch: RolloutWatch
        /// The ECS service's ARN while CloudFormation works on it.
        var serviceArn: String?
        /// When CloudFormation started on the service (its event's time): the deployment to show
        /// was created after it.
        var startedAt: Date?
        /// Set when the endpoint has no service deployments (moto): not asked again.
        var serviceDeploymentsUnavailable = false

        /// Starts following the service when CloudFormation starts on it, and stops after it.
        mutating func follow(_ event: StackEvent) {
            guard event.resourceType == "AWS::ECS::Service", let arn = event.physicalID, arn.hasPrefix("arn:"), arn.contains(":service/")
            else { return }
            let following = event.isInProgress || event.isFailure
            if following && serviceArn != arn { startedAt = event.timestamp }
            serviceArn = following ? arn : nil
        }

        var cluster: String? { serviceArn.flatMap(RolloutProgress.cluster(ofServiceArn:)) }

        /// The cluster in a service ARN of the long form (`…:service/<cluster>/<service>`).
        static func cluster(ofServiceArn arn: String) -> String? {
            let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6, fields[2] == "ecs" else { return nil }
            let parts = fields[5].split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 3 && parts[0] == "service" && !parts[1].isEmpty ? String(parts[1]) : nil
        }
    }

    /// Shows what is new in the rollout of the service the stack is working on. Best effort: a
    /// failing ECS call never fails the deploy.
    func show(_ rollout: inout RolloutProgress, of stack: String, ecs: ECSClient) async {
        guard let arn = rollout.serviceArn, let cluster = rollout.cluster else { return }
        let service = try? await ecs.describeServices(cluster: cluster, services: [arn]).first
        var deployment: ECSClient.ServiceDeployment?
        if !rollout.serviceDeploymentsUnavailable && RolloutWatch.wantsServiceDeployment(service) {
            do {
                // A minute's margin: the two clocks are AWS's, but not one clock.
                let after = rollout.startedAt.map { $0.timeIntervalSince1970 - 60 }
                deployment = try await ecs.latestServiceDeployment(cluster: cluster, service: arn, createdAfter: after)
            } catch {
                rollout.serviceDeploymentsUnavailable = true
            }
        }
        for line in rollout.watch.observe(service: service, deployment: deployment) { reporter.message("\(stack): \(line)") }
    }
}
