import BerthAWS
import BerthModel

/// The deployed phase-2 stacks of an app's environment that a plan does not know (a service
/// removed from the files since it was deployed), found by the tags Berth gives its stacks
/// (`StackTags`): `berth destroy` deletes them with the environment, and a deploy names one whose
/// listener rule holds a priority it needs.
public enum LeftBehindStacks {
    /// Every stack CloudFormation lists that is tagged as `app`'s and `environment`'s, of phase 2,
    /// not deleted, and not in `known`.
    static func find(
        app: String, environment: String, except known: Set<String>, in cloudFormation: CloudFormationClient
    ) async throws -> [StackDescription] {
        var found: [StackDescription] = []
        for try await description in cloudFormation.describeStacks() where !known.contains(description.name) {
            let tags = description.tags
            guard tags[StackTags.appKey] == app, tags[StackTags.environmentKey] == environment, tags[StackTags.phaseKey] == Phase.ecs.name,
                description.status != .deleteComplete
            else { continue }
            found.append(description)
        }
        return found
    }
}
