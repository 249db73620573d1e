import BerthAWS
import BerthTemplate
import Foundation

/// Whether a phase-1 stack would adopt a repository that already exists outside any stack under
/// the name Berth gives it, and what adopting it would change. It only reads: nothing changes
/// until the deploy runs with `--adopt`, and then CloudFormation imports the repository (a CREATE
/// change set with `ImportExistingResources`), so its images stay.
public struct RepositoryAdoption: Sendable {
    /// What adopting one repository would do, or why it cannot be adopted.
    public struct Plan: Sendable, Hashable {
        /// The phase-1 stack that would hold the repository.
        public let stack: String
        public let repository: String
        /// How many images the repository holds.
        public let imageCount: Int
        /// How many of them Berth's lifecycle policy would expire once adopted (ECR expires them
        /// within a day of the policy changing); 0 when the policy stays as it is.
        public let expiring: Int
        /// What adopting changes, one line each, in the order they are checked.
        public let changes: [String]
        /// Why the repository cannot be adopted; empty when it can.
        public let refusals: [String]
        /// The stack that already holds the repository (one of the refusals), when one does: the
        /// repository is not outside every stack then.
        public let heldBy: String?
        /// What adopting does with a repository policy the repository has that Berth's template
        /// does not hold as it is; `nil` when there is none.
        public let repositoryPolicy: RepositoryPolicy?
        /// The stack's template with the repository declared as it is now (its tag mutability,
        /// scan setting and lifecycle policy): what the import sends, so that the import changes
        /// nothing and the update after it makes every change listed.
        public let importTemplateBody: String

        /// Whether `--adopt` may go ahead.
        public var canAdopt: Bool { refusals.isEmpty }
    }

    /// A repository policy adopting meets (`Plan.repositoryPolicy`).
    public enum RepositoryPolicy: Sendable, Hashable {
        /// Berth's template declares a policy of its own, which would replace it: refused, even
        /// when asked to keep it.
        case replacedByTemplate
        /// The template declares none, and it is kept as it is, as asked (`keepingRepositoryPolicy`).
        case kept
        /// The template declares none, and keeping it was not asked: refused.
        case undeclared
    }

    let ecr: ECRClient
    let cloudFormation: CloudFormationClient

    public init(ecr: ECRClient, cloudFormation: CloudFormationClient) {
        self.ecr = ecr
        self.cloudFormation = cloudFormation
    }

    /// The adoption `stack` needs, or `nil` when there is nothing to adopt: the stack already
    /// exists, or the repository does not.
    /// `keepingRepositoryPolicy`: a repository policy the template does not declare stays as it
    /// is instead of refusing the adoption.
    public func inspect(_ stack: PlannedStack, keepingRepositoryPolicy: Bool = false) async throws -> Plan? {
        guard stack.phase == .ecr, let held = stack.heldRepository else { return nil }
        // A stack that holds nothing yet, or only a failed first create (which a deploy deletes
        // and makes again), does not hold the repository: it is still to be adopted.
        if let deployed = try await cloudFormation.describeStack(stack.name), !deployed.status.holdsNoResources,
            !deployed.status.isFirstCreateFailure
        {
            return nil
        }
        guard let repository = try await existing(held.name) else { return nil }
        let images = try await ecr.checkedImages(of: held.name)
        let declared = Self.repositoryProperties(stack.template) ?? .object([])
        var changes: [String] = []
        var refusals: [String] = []
        var expiring = 0
        let tags = try await ecr.listTags(resourceArn: repository.repositoryArn)
        let heldBy = try await owningStack(repository, tags: tags)
        if let owner = heldBy {
            refusals.append("stack \(owner) already holds it; a repository belongs to one stack")
        }
        // Encryption cannot change after the repository is made.
        let wantedType = declared["EncryptionConfiguration"]?["EncryptionType"]?.stringValue ?? "AES256"
        let wantedKey = declared["EncryptionConfiguration"]?["KmsKey"]?.stringValue
        let actualType = repository.encryptionConfiguration?.encryptionType ?? "AES256"
        let actualKey = repository.encryptionConfiguration?.kmsKey
        if wantedType != actualType || (wantedType == "KMS" && wantedKey != nil && wantedKey != actualKey) {
            refusals.append(
                "its encryption is \(Self.encryption(actualType, actualKey)) and Berth's template says \(Self.encryption(wantedType, wantedKey)); "
                    + "ECR cannot change a repository's encryption (set repositoryKmsKeyArn to match, or use another repository name)")
        }
        let wantedMutability = declared["ImageTagMutability"]?.stringValue ?? "MUTABLE"
        let wantedExclusions = declared["ImageTagMutabilityExclusionFilters"]?.elements?.compactMap {
            $0["ImageTagMutabilityExclusionFilterValue"]?.stringValue
        } ?? []
        let actualMutability = repository.imageTagMutability ?? "MUTABLE"
        let actualExclusions = repository.imageTagMutabilityExclusionFilters?.map(\.filter) ?? []
        if let change = Self.mutabilityChange(from: actualMutability, actualExclusions, to: wantedMutability, wantedExclusions) {
            changes.append(change)
        }
        let currentPolicy = try await ecr.getRepositoryPolicy(repository: held.name)
        var repositoryPolicy: RepositoryPolicy?
        if let wanted = declared["RepositoryPolicyText"] {
            // Berth's policy grants pull to the environments' accounts, and CloudFormation sets it
            // whole: a different policy would be replaced, so it is refused, never dropped.
            let accounts = Self.principals(of: wanted).joined(separator: ", ")
            if let policy = currentPolicy, Self.canonical(policy) != Self.canonical(wanted) {
                repositoryPolicy = .replacedByTemplate
                refusals.append(
                    "it has a repository policy, and Berth's template declares its own (pull for the environments' accounts \(accounts)), which would replace it; "
                        + "a policy the template replaces cannot be kept: save it (aws ecr get-repository-policy --region \(ecr.region) --repository-name \(held.name)), "
                        + "then remove it (aws ecr delete-repository-policy --region \(ecr.region) --repository-name \(held.name)) and grant that access another way; policy: "
                        + Self.oneLine(policy))
            } else if currentPolicy == nil {
                changes.append("repository policy: added, letting the environments' accounts pull (\(accounts))")
            }
        } else if let policy = currentPolicy {
            if keepingRepositoryPolicy {
                repositoryPolicy = .kept
                changes.append(
                    "repository policy: kept as it is, as asked; Berth's template does not declare it, so the import leaves it alone, and should an update remove it, Berth puts it back: "
                        + Self.oneLine(policy))
            } else {
                repositoryPolicy = .undeclared
                refusals.append(
                    "it has a repository policy that Berth's template does not declare, and Berth does not drop it silently: "
                        + "save it (aws ecr get-repository-policy --region \(ecr.region) --repository-name \(held.name)), then remove it "
                        + "(aws ecr delete-repository-policy --region \(ecr.region) --repository-name \(held.name)) and grant that access another way, "
                        + "or adopt it keeping the policy as it is; policy: " + Self.oneLine(policy))
            }
        }
        let current = try await ecr.getLifecyclePolicy(repository: held.name)
        if let wanted = held.lifecyclePolicyText, Self.normalized(wanted) != current.map(Self.normalized) {
            changes.append(current == nil ? "lifecycle policy: added (the repository has none)" : "lifecycle policy: Berth's replaces the current one")
            do {
                // Sooner or later: an untagged image pushed an hour ago expires tomorrow.
                let expired = try LifecyclePreview(policyText: wanted).eventualExpirations(of: images)
                expiring = expired.count
                changes.append("  it would expire \(expired.count) of \(images.count) images")
                for image in images where expired[image.imageDigest] != nil {
                    let tags = image.imageTags.map { $0.isEmpty ? "untagged" : $0.joined(separator: ", ") } ?? "untagged"
                    let rule = expired[image.imageDigest].map { "rule \($0.priority)" } ?? ""
                    changes.append("    \(image.imageDigest) (\(tags)) by \(rule)")
                }
            } catch {
                // What cannot be worked out cannot be agreed to: no image is risked unseen.
                refusals.append("the images Berth's lifecycle policy would expire cannot be worked out: \(error)")
            }
        } else if held.lifecyclePolicyText == nil, current != nil {
            // CloudFormation's update of the repository (the adoption's second step, and any later
            // one) removes a lifecycle policy its template does not declare.
            changes.append(
                "lifecycle policy: Berth's template declares none, so the update after the import removes the current one; "
                    + "declare it in the stack to keep it")
        }
        let ownTags = tags.filter { !RepositoryKeeper.isStacks($0.key) }.sorted { $0.key < $1.key }
        if !ownTags.isEmpty {
            changes.append(
                "tags: kept (\(ownTags.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))); Berth's template does not declare them, "
                    + "so should an update remove them, Berth puts them back")
        }
        let wantedScan = declared["ImageScanningConfiguration"]?["ScanOnPush"].map { $0 == .bool(true) || $0.stringValue == "true" } ?? false
        let actualScan = repository.imageScanningConfiguration?.scanOnPush ?? false
        if wantedScan != actualScan {
            changes.append("scan on push: \(actualScan ? "on" : "off") becomes \(wantedScan ? "on" : "off")")
        }
        // A policy Berth's template does not declare is left out of the import's template too:
        // the import leaves it alone, and the update after it keeps it (`RepositoryKeeper`).
        let asItIs = Self.declaringAsItIs(
            stack.template, repository: repository, lifecyclePolicyText: current,
            repositoryPolicyText: declared["RepositoryPolicyText"] == nil ? nil : currentPolicy)
        return Plan(
            stack: stack.name, repository: held.name, imageCount: images.count, expiring: expiring, changes: changes, refusals: refusals,
            heldBy: heldBy, repositoryPolicy: repositoryPolicy, importTemplateBody: asItIs.jsonText())
    }

    private func existing(_ name: String) async throws -> ECRClient.Repository? {
        do {
            return try await ecr.describeRepositories(names: [name]).collect().first
        } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
            return nil
        }
    }

    /// The stack that holds the repository: the one its `aws:cloudformation:stack-name` tag
    /// names when that stack still lists it, else the one of every stack's resources that does.
    /// The tag is a hint only: a repository kept (DeletionPolicy Retain) when its stack dropped
    /// it, or was deleted, keeps the tag, and no one can remove an `aws:` tag.
    private func owningStack(_ repository: ECRClient.Repository, tags: [String: String]) async throws -> String? {
        if let stack = tags["aws:cloudformation:stack-name"], !stack.isEmpty, try await holds(stack, repository) {
            return stack
        }
        for try await stack in cloudFormation.describeStacks() where stack.status != .deleteComplete {
            if try await holds(stack.name, repository) { return stack.name }
        }
        return nil
    }

    /// Whether stack `name` lists `repository` among its resources (not deleted); `false` when
    /// there is no such stack.
    private func holds(_ name: String, _ repository: ECRClient.Repository) async throws -> Bool {
        let resources: [StackResourceSummary]
        do {
            resources = try await cloudFormation.listStackResources(stackName: name).collect()
        } catch let error as AWSServiceError where error.isMissingStack {
            return false
        }
        return resources.contains {
            $0.resourceType == "AWS::ECR::Repository" && $0.physicalID == repository.repositoryName && !$0.isDeleted
        }
    }

    /// `template` with its repository's settings replaced by the repository's own: CloudFormation
    /// imports a resource as it is, whatever the template says, so the import template says what
    /// is, and the update after it changes what Berth's template changes.
    static func declaringAsItIs(
        _ template: JSONValue, repository: ECRClient.Repository, lifecyclePolicyText: String?, repositoryPolicyText: String? = nil
    ) -> JSONValue {
        func replacing(_ value: JSONValue, _ key: String, with new: (JSONValue?) -> JSONValue?) -> JSONValue {
            guard case .object(var members) = value else { return value }
            let index = members.firstIndex { $0.key == key }
            let replaced = new(index.map { members[$0].value })
            switch (index, replaced) {
            case (let index?, let replaced?): members[index].value = replaced
            case (let index?, nil): members.remove(at: index)
            case (nil, let replaced?): members.append(.init(key, replaced))
            case (nil, nil): break
            }
            return .object(members)
        }
        return replacing(template, "Resources") { resources in
            guard case .object(var members)? = resources else { return resources }
            for index in members.indices where members[index].value["Type"]?.stringValue == "AWS::ECR::Repository" {
                members[index].value = replacing(members[index].value, "Properties") { properties in
                    var result = properties ?? .object([])
                    result = replacing(result, "ImageTagMutability") { _ in .string(repository.imageTagMutability ?? "MUTABLE") }
                    result = replacing(result, "ImageTagMutabilityExclusionFilters") { _ in
                        guard let filters = repository.imageTagMutabilityExclusionFilters, !filters.isEmpty else { return nil }
                        return .array(filters.map {
                            .object([
                                .init("ImageTagMutabilityExclusionFilterType", .string($0.filterType ?? "WILDCARD")),
                                .init("ImageTagMutabilityExclusionFilterValue", .string($0.filter)),
                            ])
                        })
                    }
                    result = replacing(result, "ImageScanningConfiguration") { _ in
                        .object([.init("ScanOnPush", .bool(repository.imageScanningConfiguration?.scanOnPush ?? false))])
                    }
                    result = replacing(result, "RepositoryPolicyText") { _ in
                        repositoryPolicyText.flatMap { try? JSONValue.parseJSON($0, file: "policy") }
                    }
                    result = replacing(result, "LifecyclePolicy") { _ in
                        lifecyclePolicyText.map { .object([.init("LifecyclePolicyText", .string($0))]) }
                    }
                    return result
                }
            }
            return .object(members)
        }
    }

    /// The properties of the template's repository.
    static func repositoryProperties(_ template: JSONValue) -> JSONValue? {
        for member in template["Resources"]?.members ?? [] where member.value["Type"]?.stringValue == "AWS::ECR::Repository" {
            return member.value["Properties"]
        }
        return nil
    }

    /// What adopting a repository does to which of its tags may move: `nil` when nothing. ECR's
    /// four settings: every tag moves (`MUTABLE`), all but the excluded (`MUTABLE_WITH_EXCLUSION`),
    /// none (`IMMUTABLE`), the excluded alone (`IMMUTABLE_WITH_EXCLUSION`).
    static func mutabilityChange(from actual: String, _ actualExclusions: [String], to wanted: String, _ wantedExclusions: [String]) -> String? {
        guard wanted != actual || Set(wantedExclusions) != Set(actualExclusions) else { return nil }
        func movable(_ mode: String, _ filters: [String], _ verb: String) -> String {
            let matching = "tags matching " + filters.joined(separator: ", ")
            switch mode {
            case "MUTABLE": return "every tag \(verb) move"
            case "MUTABLE_WITH_EXCLUSION": return "every tag but \(matching) \(verb) move"
            case "IMMUTABLE_WITH_EXCLUSION": return filters.isEmpty ? "no tag \(verb) move" : "only \(matching) \(verb) move"
            default: return "no tag \(verb) move"
            }
        }
        return "tag mutability: \(actual) becomes \(wanted): \(movable(wanted, wantedExclusions, "may")) once pushed, where \(movable(actual, actualExclusions, "could"))"
    }

    static func encryption(_ type: String, _ key: String?) -> String {
        type == "KMS" ? "KMS" + (key.map { " (\($0))" } ?? "") : type
    }

    /// A policy with every object's keys sorted, for comparing what ECR holds with what the
    /// template declares whatever order either writes them in.
    static func canonical(_ text: String) -> JSONValue? {
        (try? JSONValue.parseJSON(text, file: "policy")).map(canonical)
    }

    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.map { .init($0.key, canonical($0.value)) }.sorted { $0.key < $1.key })
        case .array(let elements): .array(elements.map(canonical))
        default: value
        }
    }

    /// The AWS principals a policy's statements name, in order.
    static func principals(of policy: JSONValue) -> [String] {
        (policy["Statement"]?.elements ?? []).flatMap { statement -> [String] in
            RepositoryPullGrant.strings(statement["Principal"]?["AWS"])
        }
    }

    static func normalized(_ text: String) -> String {
        (try? JSONValue.parseJSON(text, file: "policy")).map { "\($0)" } ?? text
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
