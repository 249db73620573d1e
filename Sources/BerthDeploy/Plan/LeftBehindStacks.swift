import BerthAWS
import BerthModel

/// The deployed phase-2 stacks of an app's environment that a plan does not know (a service
/// removed from the files since it was deployed), found by the tags Berth gives its stacks
/// (`StackTags`) and the name those tags give (`StackName`): `berth destroy` deletes them with
/// the environment, and a deploy names one whose listener rule holds a priority it needs.
public enum LeftBehindStacks {
    /// Every stack CloudFormation lists that is tagged as `app`'s and `environment`'s, of phase 2,
    /// not nested in another (a nested stack takes its parent's tags, and goes with its parent),
    /// not deleted, and not in `known`. Whether each is named as Berth names the part its tags
    /// say it is (`isNamedByItsTags`) is for the caller to weigh: one that is not was made or
    /// tagged by hand, or by another tool.
    static func find(
        app: String, environment: String, except known: Set<String>, in cloudFormation: CloudFormationClient
    ) async throws -> [StackDescription] {
        var found: [StackDescription] = []
        for try await description in cloudFormation.describeStacks() where !known.contains(description.name) {
            let tags = description.tags
            guard tags[StackTags.appKey] == app, tags[StackTags.environmentKey] == environment, tags[StackTags.phaseKey] == Phase.ecs.name,
                description.parentID == nil, description.status != .deleteComplete
            else { continue }
            found.append(description)
        }
        return found
    }

    /// Whether the stack is named as Berth names the part of `app`'s `environment` its tags say
    /// it is (`StackName.phaseTwo`): `<app>-<service>-<environment>`, or `<app>-<environment>`.
    static func isNamedByItsTags(_ description: StackDescription, app: String, environment: String) -> Bool {
        description.name == StackName.phaseTwo(app: app, environment: environment, service: description.tags[StackTags.serviceKey])
    }
}
