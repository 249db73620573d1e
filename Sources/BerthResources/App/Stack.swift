import BerthModel
import BerthTemplate

/// One CloudFormation stack of an app: its template and what the deployer needs to know.
public struct Stack: Sendable {
    /// The CloudFormation stack name.
    public let name: String
    /// Phase 1 (a repository) or phase 2 (an environment's shared stack, a service or a job).
    public let phase: Phase
    /// The environment a phase-2 stack serves; `nil` for phase-1 stacks, which all share.
    public let environment: String?
    /// The region the stack is deployed to.
    public let region: String
    /// The service a stack belongs to: a phase-1 stack holds its repository, a phase-2 stack
    /// runs it. `nil` for an environment's shared stack.
    public var service: String?
    /// The repository whose image a phase-2 stack runs, which the image gate checks.
    public var imageRepository: String?
    /// The signatures the image gate requires of the image a phase-2 stack runs.
    public var signatures: SignatureRequirement?
    /// The account a phase-2 stack's tasks pull their image into, when the repositories are in
    /// another (its environment's, as phase 1 grants it pull): the image gate checks that the
    /// repository's policy lets it pull. `nil` when the repositories' account is the stack's.
    public var pullAccount: String?
    /// The service whose image tag a job's stack runs (a migration runs the API's); the stack's
    /// own service's when `nil`.
    public var imageService: String?
    /// What kind of service a phase-2 service stack runs: web, worker or job.
    /// The kind of the service or job the stack holds; `nil` for the other stacks.
    public var kind: FargateService.Kind?
    /// How a deploy treats a job's stack; `nil` for every other stack.
    public var jobPolicy: JobPolicy?
    /// What the stack is made of; `override` and `removeProperty` change it by path.
    public var template: Template
    /// Where each parameter's value comes from at deploy time, in template order.
    public var parameterSources: [Named<ParameterSource>] = []
    /// The role CloudFormation acts with on the stack (its environment's `cloudFormationRoleArn`);
    /// the caller's rights when `nil`. Phase-1 stacks have none.
    public var cloudFormationRoleArn: String?
    /// Stacks this one deploys after although it takes none of their outputs: the Service Connect
    /// servers that a service's tasks call, which must exist when the tasks start.
    public var deployAfter: [String] = []
    /// Problems that constructs found while adding themselves; reported with the template's.
    public var problems: [ValidationProblem] = []
    /// What constructs found risky but valid: synth prints them and writes the template anyway.
    public var warnings: [ValidationProblem] = []

    public init(name: String, phase: Phase, environment: String? = nil, region: String, description: String) {
        self.name = name
        self.phase = phase
        self.environment = environment
        self.region = region
        self.template = Template(description: description)
    }

    /// Records a problem found in this stack.
    public mutating func report(_ location: String, _ message: String) {
        problems.append(ValidationProblem(stack: name, location: location, message: message))
    }

    /// Records a warning about this stack.
    public mutating func warn(_ location: String, _ message: String) {
        warnings.append(ValidationProblem(stack: name, location: location, message: message))
    }

    /// Adds a parameter that the deployer fills from `source`, and returns a `Ref` to it.
    @discardableResult
    public mutating func addDeployParameter(
        _ name: String, _ parameter: Parameter, source: ParameterSource
    ) -> Intrinsic {
        parameterSources.append(Named(name, source))
        return template.addParameter(name, parameter)
    }

    /// Everything wrong with the stack: its name, its constructs' problems and its template's.
    public func validate() -> [ValidationProblem] {
        var found: [ValidationProblem] = []
        if !TemplateLimits.isValidStackName(name) {
            found.append(
                ValidationProblem(
                    stack: name, location: "stack name",
                    message: "must start with a letter and hold only letters, digits and hyphens, at most 128 characters"))
        }
        found += problems
        found += template.validate(stack: name)
        return found
    }
}

/// An app: its phase-1 stacks (image repositories) and phase-2 stacks (per environment, a
/// shared stack and one stack per service).
public struct App: Sendable {
    /// The app's name, the first part of its stacks' and repositories' names.
    public var name: String
    /// The stacks built, in the order they were added.
    public var stacks: [Stack] = []
    /// Problems of the app as a whole (a customization naming a service no environment has).
    public var problems: [ValidationProblem] = []
    /// Every stack of the app, in its order, when `stacks` holds only some of them: a command
    /// that needs one environment's phase-2 stacks (`synth --env`) builds only those. `nil`
    /// when `stacks` holds them all.
    public var outline: [StackOutline]?

    public init(name: String) { self.name = name }

    /// Adds a stack.
    public mutating func add(_ stack: Stack) { stacks.append(stack) }

    /// Changes every stack that `isIncluded` selects, after the app is built: the place for
    /// overrides (`Stack.override(_:_:with:)`) and extra resources.
    public mutating func updateStacks(where isIncluded: (Stack) -> Bool, _ update: (inout Stack) -> Void) {
        for index in stacks.indices where isIncluded(stacks[index]) { update(&stacks[index]) }
    }

    /// Every stack of the app, built or not, in its order: for what is said about the whole app.
    public var allStacks: [StackOutline] { outline ?? stacks.map(StackOutline.init) }

    /// The names of the app's services, in the order their stacks were added.
    public var serviceNames: [String] {
        var seen: Set<String> = []
        return stacks.compactMap(\.service).filter { seen.insert($0).inserted }
    }

    /// Everything wrong with the app: duplicate stack names, every stack's problems, and a
    /// parameter filled from an output that the app's stack of that name does not declare (a
    /// deploy would stop at it).
    public func validate() -> [ValidationProblem] {
        var found: [ValidationProblem] = problems
        var seen: Set<String> = []
        // Names two stacks hold: which one a parameter's source is cannot be known, and the
        // clash is said once, not once more for every parameter that reads from it.
        var clashing = Set(problems.filter { $0.location == "stack name" }.compactMap(\.stack))
        for stack in stacks where !seen.insert(stack.name).inserted {
            clashing.insert(stack.name)
            // The blueprint names whose the two are (`AppBlueprint.stackNameClashes`): said once.
            guard !problems.contains(where: { $0.stack == stack.name && $0.location == "stack name" }) else { continue }
            found.append(ValidationProblem(stack: stack.name, location: "stack name", message: "two stacks have this name"))
        }
        for stack in stacks { found += stack.validate() }
        let outputs = Dictionary(stacks.map { ($0.name, Set($0.template.outputs.map(\.name))) }, uniquingKeysWith: { first, _ in first })
        // Stacks not built for this command (`synth --env`) are in the outline: their outputs are not known here.
        let named = Set(allStacks.map(\.name))
        for stack in stacks {
            for parameter in stack.parameterSources {
                guard case .stackOutput(let source, let output) = parameter.value, !clashing.contains(source) else { continue }
                if !named.contains(source) {
                    // A construct laid out by hand (`repositoryStack:`, `sharedStack:`) naming a stack the app does not have.
                    found.append(
                        ValidationProblem(
                            stack: stack.name, location: "parameters.\(parameter.name)",
                            message: "takes the output \(output) of \(source), which is no stack of the app; its stacks are "
                                + allStacks.prefix(10).map(\.name).joined(separator: ", ") + (allStacks.count > 10 ? ", …" : "")))
                    continue
                }
                guard let declared = outputs[source], !declared.contains(output) else { continue }
                found.append(
                    ValidationProblem(
                        stack: stack.name, location: "parameters.\(parameter.name)",
                        message: "takes the output \(output) of \(source), which that stack does not declare"))
            }
        }
        return found
    }
}
