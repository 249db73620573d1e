import BerthTemplate

/// Compares a deployed template and its parameter values with the template and values a
/// deploy would send, and says what would change.
public struct TemplateComparison: Sendable {
    /// The deployed template; `nil` when the stack does not exist.
    public var deployed: JSONValue?
    /// The deployed stack's parameter values; `nil` when they are unknown (a template file), and
    /// then parameter values are not compared.
    public var deployedParameters: [String: String]?
    public var proposed: JSONValue
    /// The values this deploy would pass; a parameter missing here keeps its deployed value
    /// (or takes its default when it is new).
    public var proposedParameters: [String: String]
    /// The create-only property paths of a resource type (`/properties/Port`), from AWS's
    /// provider schemas; `nil` for a type Berth has no schema for.
    public var createOnlyProperties: @Sendable (String) -> [String]?

    public init(
        deployed: JSONValue?, deployedParameters: [String: String]? = [:], proposed: JSONValue,
        proposedParameters: [String: String] = [:], createOnlyProperties: @escaping @Sendable (String) -> [String]?
    ) {
        self.deployed = deployed
        self.deployedParameters = deployedParameters
        self.proposed = proposed
        self.proposedParameters = proposedParameters
        self.createOnlyProperties = createOnlyProperties
    }

    static let sections = ["Parameters", "Conditions", "Resources", "Outputs"]

    /// The difference, with replacements propagated through references.
    public func diff() -> StackDiff {
        let old = deployed ?? .object([])
        var diff = StackDiff(deployed: deployed != nil, method: .template)
        // For a stack that does not exist yet, its description and format version say nothing new.
        let (oldTop, newTop) = (old.memberIndex, proposed.memberIndex)
        for key in Self.unionKeys(old.members ?? [], proposed.members ?? []) where deployed != nil && !Self.sections.contains(key) {
            diff.otherChanges += Self.valueChanges(oldTop[ExactText(key)], newTop[ExactText(key)], at: ValuePath([.key(key)]))
        }
        diff.parameters = Self.entries(old["Parameters"], proposed["Parameters"])
        diff.conditions = Self.entries(old["Conditions"], proposed["Conditions"])
        diff.outputs = Self.entries(old["Outputs"], proposed["Outputs"])
        diff.resources = resourceDiffs(old["Resources"], proposed["Resources"])
        let (oldValues, newValues) = parameterValues()
        if deployed != nil, deployedParameters != nil {
            // Parameters both templates declare; a new one shows in `parameters`.
            for name in (proposed["Parameters"]?.members ?? []).map(\.key)
            where old["Parameters"]?[name] != nil && !ExactText.same(oldValues[name], newValues[name]) {
                diff.parameterValues.append(ParameterValueChange(name: name, old: oldValues[name], new: newValues[name]))
            }
        }
        propagate(into: &diff, old: old)
        diff.images = ImageChanges.between(old: deployed, oldParameters: oldValues, new: proposed, newParameters: newValues)
        diff.serviceConnectCosts = ServiceConnectCost.between(old: deployed, new: proposed)
        diff.iamStatements = IAMStatementChange.between(old: old["Resources"], new: proposed["Resources"])
        diff.securityGroupRules = SecurityGroupRuleChange.between(old: old["Resources"], new: proposed["Resources"])
        return diff
    }

    /// The parameter values on each side: given, deployed, or the declared default. `NoEcho`
    /// parameters are left out: CloudFormation masks their deployed value, and no value of
    /// theirs is ever shown.
    public func parameterValues() -> (old: [String: String], new: [String: String]) {
        var old: [String: String] = [:]
        var new: [String: String] = [:]
        for member in deployed?["Parameters"]?.members ?? [] where !Self.isSecret(member.value) {
            old[member.key] = deployedParameters?[member.key] ?? member.value["Default"]?.scalarText
        }
        for member in proposed["Parameters"]?.members ?? [] where !Self.isSecret(member.value) {
            new[member.key] = proposedParameters[member.key] ?? deployedParameters?[member.key] ?? member.value["Default"]?.scalarText
        }
        return (old, new)
    }

    /// What a change set is given for the parameters: the values this deploy passes, the deployed
    /// values of the others, and, for deployed `NoEcho` parameters (whose value CloudFormation
    /// masks), the names to send as UsePreviousValue.
    public func parametersToSend() -> (values: [(key: String, value: String)], keepPrevious: [String]) {
        var values: [(key: String, value: String)] = []
        var keepPrevious: [String] = []
        for member in proposed["Parameters"]?.members ?? [] {
            if let value = proposedParameters[member.key] {
                values.append((member.key, value))
            } else if deployedParameters?[member.key] != nil && Self.isSecret(member.value) {
                keepPrevious.append(member.key)
            } else if let value = deployedParameters?[member.key] {
                values.append((member.key, value))
            }
        }
        return (values, keepPrevious)
    }

    private static func isSecret(_ declaration: JSONValue) -> Bool {
        declaration["NoEcho"]?.scalarText == "true"
    }

    // MARK: - Entries and values

    /// Keys of both objects: the new order first, then the keys only the old one has.
    static func unionKeys(_ old: [JSONValue.Member], _ new: [JSONValue.Member]) -> [String] {
        var seen = Set<ExactText>()
        var keys: [String] = []
        for key in new.map(\.key) + old.map(\.key) where seen.insert(ExactText(key)).inserted { keys.append(key) }
        return keys
    }

    static func entries(_ old: JSONValue?, _ new: JSONValue?) -> [EntryDiff] {
        let (oldIndex, newIndex) = (old?.memberIndex ?? [:], new?.memberIndex ?? [:])
        return unionKeys(old?.members ?? [], new?.members ?? []).compactMap { name in
            switch (oldIndex[ExactText(name)], newIndex[ExactText(name)]) {
            case (nil, .some): return EntryDiff(name: name, action: .add, changes: [])
            case (.some, nil): return EntryDiff(name: name, action: .remove, changes: [])
            case (let before?, let after?):
                let changes = valueChanges(before, after, at: ValuePath())
                return changes.isEmpty ? nil : EntryDiff(name: name, action: .modify, changes: changes)
            case (nil, nil): return nil
            }
        }
    }

    /// The leaf-most differences between two values; lists are compared element by element and
    /// intrinsic functions as whole values.
    static func valueChanges(_ old: JSONValue?, _ new: JSONValue?, at path: ValuePath) -> [ValueChange] {
        switch (old, new) {
        case (nil, nil):
            return []
        case (let before?, let after?) where before.means(after):
            return []
        case (.object(var before)?, .object(var after)?) where !(old?.isIntrinsic ?? false) && !(new?.isIntrinsic ?? false):
            // A member set to AWS::NoValue is no member.
            before.removeAll { $0.value.isNoValue }
            after.removeAll { $0.value.isNoValue }
            let (oldIndex, newIndex) = (JSONValue.object(before).memberIndex, JSONValue.object(after).memberIndex)
            return unionKeys(before, after).flatMap { key in
                valueChanges(oldIndex[ExactText(key)], newIndex[ExactText(key)], at: path.appending(.key(key)))
            }
        case (.array(let before)?, .array(let after)?):
            return (0..<max(before.count, after.count)).flatMap { index in
                valueChanges(
                    before.indices.contains(index) ? before[index] : nil, after.indices.contains(index) ? after[index] : nil,
                    at: path.appending(.index(index)))
            }
        default:
            return [ValueChange(path: path, old: old, new: new)]
        }
    }

    // MARK: - Resources

    private func resourceDiffs(_ old: JSONValue?, _ new: JSONValue?) -> [ResourceDiff] {
        let (oldIndex, newIndex) = (old?.memberIndex ?? [:], new?.memberIndex ?? [:])
        return Self.unionKeys(old?.members ?? [], new?.members ?? []).compactMap { logicalID in
            let before = oldIndex[ExactText(logicalID)]
            let after = newIndex[ExactText(logicalID)]
            let type = after?["Type"]?.stringValue ?? before?["Type"]?.stringValue ?? ""
            switch (before, after) {
            case (nil, .some):
                return ResourceDiff(logicalID: logicalID, type: type, action: .add)
            case (let before?, nil):
                let retained = ["Retain", "RetainExceptOnCreate"].contains(before["DeletionPolicy"]?.stringValue ?? "")
                return ResourceDiff(logicalID: logicalID, type: type, action: .remove, removal: retained ? .orphan : .destroy)
            case (let before?, let after?):
                var changes = Self.valueChanges(Self.dependsOnAsList(before), Self.dependsOnAsList(after), at: ValuePath())
                guard !changes.isEmpty else { return nil }
                let rules = ReplacementRules(createOnlyProperties(type) ?? [])
                for index in changes.indices {
                    let path = changes[index].path
                    if path.components == [.key("Type")] || rules.requireReplacement(path) {
                        changes[index].replacement = .always
                    }
                    if type == "AWS::ECS::TaskDefinition" { changes[index] = SecretValues.masked(changes[index], before: before, after: after) }
                }
                return ResourceDiff(
                    logicalID: logicalID, type: type, action: .modify, replacement: changes.map(\.replacement).max() ?? .never,
                    keepsReplacedResource: before["UpdateReplacePolicy"]?.stringValue == "Retain", changes: changes)
            case (nil, nil):
                return nil
            }
        }
    }

    /// `resource` with a `DependsOn` of one name written as a list of it, as CloudFormation reads both.
    static func dependsOnAsList(_ resource: JSONValue) -> JSONValue {
        guard case .object(var members) = resource, let index = members.firstIndex(where: { $0.key == "DependsOn" }),
            case .string = members[index].value
        else { return resource }
        members[index].value = .array([members[index].value])
        return .object(members)
    }

    // MARK: - Propagation

    /// Values that change without their text changing: references to parameters whose value
    /// changes, to conditions that change, and to resources that are replaced (a new physical
    /// ID). A create-only property that changes this way replaces its resource in turn; this
    /// repeats until nothing more changes. Each round looks again only at the entries that refer
    /// to a name the round before added, so a chain of references costs its length, not its square.
    private func propagate(into diff: inout StackDiff, old: JSONValue) {
        var reasons: [String: String] = [:]
        for value in diff.parameterValues { reasons[value.name] = "\(value.name) changes" }
        for condition in diff.conditions { reasons[condition.name] = "condition \(condition.name) changes" }
        for resource in diff.resources where resource.replacement == .always {
            reasons[resource.logicalID] = "\(resource.logicalID) is replaced"
        }
        guard !reasons.isEmpty, let newResources = proposed["Resources"]?.members else { return }
        let oldResources = old["Resources"]?.memberIndex ?? [:]
        let conditions = (proposed["Conditions"]?.members ?? []).map { (name: $0.key, references: $0.value.referencedNames) }
        // What each resource refers to, its Condition included (a superset of what
        // changesThroughReferences finds, which is all the rounds need to know).
        let references = newResources.map { resource in
            resource.value.referencedNames.union(resource.value["Condition"]?.stringValue.map { [$0] } ?? [])
        }
        var added = Set(reasons.keys)
        while !added.isEmpty {
            let fresh = added
            added = []
            for condition in conditions where reasons[condition.name] == nil && !condition.references.isDisjoint(with: reasons.keys) {
                reasons[condition.name] = "condition \(condition.name) changes"
                added.insert(condition.name)
            }
            for (resource, referenced) in zip(newResources, references) where !referenced.isDisjoint(with: fresh) {
                guard let before = oldResources[ExactText(resource.key)] else { continue }
                let type = resource.value["Type"]?.stringValue ?? ""
                let existing = diff.resources.firstIndex { $0.logicalID == resource.key }
                let found = Self.changesThroughReferences(
                    in: resource.value, old: before, known: existing.map { diff.resources[$0].changes } ?? [], reasons: reasons,
                    rules: ReplacementRules(createOnlyProperties(type) ?? []))
                guard !found.isEmpty else { continue }
                let replacement = found.map(\.replacement).max() ?? .never
                if let index = existing {
                    diff.resources[index].changes += found
                    diff.resources[index].replacement = max(diff.resources[index].replacement, replacement)
                } else {
                    diff.resources.append(
                        ResourceDiff(
                            logicalID: resource.key, type: type, action: .modify, replacement: replacement,
                            keepsReplacedResource: before["UpdateReplacePolicy"]?.stringValue == "Retain", changes: found))
                }
                if replacement == .always, reasons[resource.key] == nil {
                    reasons[resource.key] = "\(resource.key) is replaced"
                    added.insert(resource.key)
                }
            }
        }
        for output in proposed["Outputs"]?.members ?? [] {
            guard let before = old["Outputs"]?[output.key] else { continue }
            let existing = diff.outputs.firstIndex { $0.name == output.key }
            let found = Self.changesThroughReferences(
                in: output.value, old: before, known: existing.map { diff.outputs[$0].changes } ?? [], reasons: reasons, rules: nil)
            guard !found.isEmpty else { continue }
            if let index = existing {
                diff.outputs[index].changes += found
            } else {
                diff.outputs.append(EntryDiff(name: output.key, action: .modify, changes: found))
            }
        }
        diff.resources = Self.inTemplateOrder(diff.resources, old: old, new: proposed)
        for index in diff.resources.indices {
            let id = diff.resources[index].logicalID
            diff.resources[index].changes = Self.inValueOrder(
                diff.resources[index].changes, new: proposed["Resources"]?[id], old: old["Resources"]?[id])
        }
        for index in diff.outputs.indices {
            let name = diff.outputs[index].name
            diff.outputs[index].changes = Self.inValueOrder(diff.outputs[index].changes, new: proposed["Outputs"]?[name], old: old["Outputs"]?[name])
        }
    }

    /// Changes in the order their paths appear in the value (the new one, then the old one for
    /// what only it has), so that changes found through references sit among the others.
    static func inValueOrder(_ changes: [ValueChange], new: JSONValue?, old: JSONValue?) -> [ValueChange] {
        // Where each key sits in the objects the paths pass through, worked out once per object:
        // a wide object's changes would otherwise search its members once per change.
        var keyPositions: [ValuePath: [ExactText: Int]] = [:]
        func positions(of node: JSONValue?, at path: ValuePath) -> [ExactText: Int] {
            if let known = keyPositions[path] { return known }
            let found = Dictionary((node?.members ?? []).enumerated().map { (ExactText($1.key), $0) }, uniquingKeysWith: { first, _ in first })
            keyPositions[path] = found
            return found
        }
        func position(_ path: ValuePath) -> [Int] {
            var newNode = new, oldNode = old
            var walked = ValuePath()
            return path.components.map { component in
                defer { walked = walked.appending(component) }
                switch component {
                case .index(let index):
                    newNode = newNode?.elements.flatMap { $0.indices.contains(index) ? $0[index] : nil }
                    oldNode = oldNode?.elements.flatMap { $0.indices.contains(index) ? $0[index] : nil }
                    return index
                case .key(let key):
                    let newIndex = positions(of: newNode, at: ValuePath([.key("new")] + walked.components))[ExactText(key)]
                    let oldIndex = positions(of: oldNode, at: ValuePath([.key("old")] + walked.components))[ExactText(key)]
                    newNode = newIndex.flatMap { newNode?.members?[$0].value }
                    oldNode = oldIndex.flatMap { oldNode?.members?[$0].value }
                    // Keys only the old value has come after the new value's keys.
                    return newIndex ?? (oldIndex.map { 10_000 + $0 } ?? Int.max)
                }
            }
        }
        return changes.map { (position($0.path), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }

    /// The values inside `entry` whose text is the same but that refer to a changing name, as
    /// changes with their cause; none where `known` already has a change at, above or below the
    /// path. With `rules`, a create-only one requires replacement.
    static func changesThroughReferences(
        in entry: JSONValue, old: JSONValue, known: [ValueChange], reasons: [String: String], rules: ReplacementRules?
    ) -> [ValueChange] {
        referencingNodes(in: entry, changing: reasons).compactMap { path, node in
            guard !known.contains(where: { path.hasPrefix($0.path) || $0.path.hasPrefix(path) }) else { return nil }
            return ValueChange(
                path: path, old: old.value(at: path), new: node,
                replacement: rules?.requireReplacement(path) == true ? .always : .never,
                cause: node.referencedNames.compactMap { reasons[$0] }.sorted().joined(separator: ", "))
        }
    }

    /// The intrinsic-function values inside `entry` that refer to a changing name, with their paths.
    /// `Type` and `DependsOn` are left out: they hold names, not values.
    static func referencingNodes(in entry: JSONValue, changing reasons: [String: String]) -> [(ValuePath, JSONValue)] {
        var found: [(ValuePath, JSONValue)] = []
        func walk(_ value: JSONValue, _ path: ValuePath) {
            if value.isIntrinsic {
                if value.referencedNames.contains(where: { reasons[$0] != nil }) { found.append((path, value)) }
                return
            }
            switch value {
            case .object(let members):
                for member in members where !(path.components.isEmpty && ["Type", "DependsOn"].contains(member.key)) {
                    if path.components.isEmpty, member.key == "Condition", let name = member.value.stringValue {
                        if reasons[name] != nil { found.append((ValuePath([.key("Condition")]), ["Condition": .string(name)])) }
                        continue
                    }
                    walk(member.value, path.appending(.key(member.key)))
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() { walk(element, path.appending(.index(index))) }
            case .null, .bool, .int, .double, .string:
                return
            }
        }
        walk(entry, ValuePath())
        return found
    }

    /// Resources in the order of the new template, then the removed ones in the old template's order.
    static func inTemplateOrder(_ resources: [ResourceDiff], old: JSONValue, new: JSONValue) -> [ResourceDiff] {
        let order = unionKeys(old["Resources"]?.members ?? [], new["Resources"]?.members ?? [])
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return resources.sorted { (position[$0.logicalID] ?? Int.max) < (position[$1.logicalID] ?? Int.max) }
    }
}
