import Foundation
import BerthModel
import BerthAWS
import BerthTemplate
import BerthResources

/// One environment's settings, read from `<configuration directory>/<name>.yaml`.
///
/// The file names the app, the region, what the environment's services share (network, HTTPS,
/// Container Insights, how many images to keep) and its services under `services:`. A file with
/// `service: NAME` and that service's keys at the top level is the one-service form of the same.
public struct EnvironmentConfig: Sendable {
    /// The environment's name: the file's name without `.yaml`.
    public var name: String
    /// The file it was read from, as given.
    public var file: String
    public var app: String
    /// The environment and its services.
    public var settings: EnvironmentSettings
    /// Where each key was found: `services.api.healthCheck.path` → line and column.
    public var positions: [String: YAMLMark] = [:]
    /// Where each service's keys are: `services.api.`, or nothing in the one-service form.
    var serviceKeyPrefixes: [String: String] = [:]
    /// The services whose `routing.paths` or `routing.hosts` was refused: their routing is not
    /// compared with the others' (read as empty, it would clash as a second catch-all).
    var refusedRouting: Set<String> = []

    public var region: String { settings.region }

    /// The position of a key, for placing a problem found later (`file:line:column`): a key of
    /// the service called `service` (`cpu`), or of the environment when `service` is `nil`.
    public func location(of key: String, service: String? = nil) -> String? {
        mark(of: key, service: service).map { "\(file):\($0.line):\($0.column)" }
    }

    /// Where `key` is, or the nearest key around it that the file has: `location(of:service:)`'s line and column.
    func mark(of key: String, service: String? = nil) -> YAMLMark? {
        let prefix = service.flatMap { serviceKeyPrefixes[$0] } ?? ""
        var path = prefix + key
        while true {
            if let mark = positions[path] { return mark }
            // Up one step: from a list's item to the list (`paths[1]` to `paths`), from a key to
            // the mapping that holds it.
            if path.hasSuffix("]"), let open = path.lastIndex(of: "[") {
                path = String(path[..<open])
                continue
            }
            guard let dot = path.lastIndex(of: ".") else { break }
            path = String(path[..<dot])
        }
        if service != nil, let mark = positions[String(prefix.dropLast())] { return mark }
        return nil
    }

    /// What a service's key is called in messages: `services.api.repository`, or `repository`
    /// in the one-service form.
    func keyPath(_ key: String, service: String) -> String { (serviceKeyPrefixes[service] ?? "") + key }
}

extension EnvironmentConfig {
    /// Environment and service names: they go into stack names, repository names and image tags.
    /// Checked over the UTF-8 bytes: every character it allows is one ASCII byte, and any byte
    /// outside ASCII belongs to a character it refuses.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), bytes.count <= 32 else { return false }
        var previous = first
        for byte in bytes.dropFirst() {
            let isLetterOrDigit = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            guard isLetterOrDigit || (byte == UInt8(ascii: "-") && previous != UInt8(ascii: "-")) else { return false }
            previous = byte
        }
        return previous != UInt8(ascii: "-")
    }

    /// Why `name`, valid as a name, cannot name an environment, if it cannot: `ecr` ends the
    /// repository stacks' names, which its service stacks would take.
    public static func reservedNameProblem(_ name: String) -> String? {
        guard name == AppBlueprint.repositoryStackSuffix else { return nil }
        return "\(name) cannot name an environment: the repository stacks are named <app>-<service>-\(name), "
            + "and the environment's service stacks would take those names; choose another name"
    }

    /// What `isValidName` accepts, as messages say it.
    public static let nameRule = "lowercase letters, digits and single hyphens, starting with a letter, at most 32"

    /// Service names: valid names that do not start with `x-`, which under `services` marks an
    /// extension field (a place for anchors), not a service.
    public static func isValidServiceName(_ name: String) -> Bool { isValidName(name) && !name.hasPrefix("x-") }

    /// What `isValidServiceName` accepts, as messages say it.
    public static let serviceNameRule = nameRule + ", not starting with x- (an extension field's mark)"

    /// Reads and checks one environment file's text; every mistake is reported, not only the
    /// first. `name` is the environment's name, `file` what messages call the file.
    public static func parse(_ text: String, name: String, file: String) throws(ConfigurationError) -> EnvironmentConfig {
        let root: YAMLNode?
        do {
            root = try YAMLNode.parse(text, file: file)
        } catch {
            throw ConfigurationError(errors: [error])
        }
        // A document with nothing in it (a `---` line alone) is as empty as no document.
        guard var root, !(root.tag.isEmpty && { if case .scalar("", plain: true) = root.content { true } else { false } }()) else {
            throw ConfigurationError(errors: [
                SourceError(file: file, line: 1, column: 1, message: "the file is empty; expected app, region and services")
            ])
        }
        // A file that expands past the limits is not read further; a refused tag is reported
        // with every other mistake, and what reading the tagged value finds there is not said twice.
        let (tagErrors, overLimit, mergeKeys) = checkedTags(root, file: file)
        let extensionErrors = unusedExtensionFields(in: root, file: file)
        guard !overLimit else { throw ConfigurationError(errors: tagErrors) }
        if mergeKeys {
            do {
                root = try YAMLMergeKeys.resolve(root, file: file)
            } catch {
                throw ConfigurationError(errors: tagErrors + [error])
            }
        }
        var reader = YAMLMappingReader(file: file, path: "", node: root)
        let app = reader.string("app", required: true, expected: nameRule, where: isValidName)
        let region = reader.string("region", required: true, expected: "an AWS region such as eu-west-1", where: isRegion)
        var settings = EnvironmentSettings(name: name, region: region ?? "")
        readShared(&reader, into: &settings)
        readAccounts(&reader, into: &settings)
        placementProblems(of: settings, in: &reader)
        var prefixes: [String: String] = [:]
        var refusedRouting: Set<String> = []
        if reader.has("services") {
            reader.refuse("service", "the one-service form (service: NAME) cannot be mixed with services:; move the service under services:")
            // `x-…` names are extension fields, a place for anchors: no service is made of them.
            for var entry in reader.namedMappings("services", required: true) ?? [] where !entry.name.hasPrefix("x-") {
                if !isValidName(entry.name) {
                    entry.reader.errors.append(
                        SourceError(file: file, mark: entry.mark, message: "services.\(entry.name): not a valid service name: \(nameRule)"))
                }
                var routingRefused = false
                if let service = readService(&entry.reader, controls: settings.controls, routingRefused: &routingRefused) {
                    settings.services.append(Named(entry.name, service))
                }
                if routingRefused { refusedRouting.insert(entry.name) }
                prefixes[entry.name] = "services.\(entry.name)."
                reader.finish(entry.reader)
            }
            if settings.services.isEmpty && reader.errors.isEmpty {
                reader.errors.append(SourceError(file: file, mark: root.mark, message: "services: lists no service; add one such as web: {cpu: 256, memory: 512}"))
            }
        } else if reader.has("service") {
            // The one-service form: the service's keys sit at the top level.
            let service = reader.string("service", required: true, expected: nameRule, where: isValidName)
            var routingRefused = false
            let settingsOfService = readService(&reader, controls: settings.controls, routingRefused: &routingRefused)
            if let service, let settingsOfService { settings.services.append(Named(service, settingsOfService)) }
            if let service, routingRefused { refusedRouting.insert(service) }
            if let service { prefixes[service] = "" }
        } else if reader.isMapping {
            reader.errors.append(
                SourceError(
                    file: file, mark: root.mark,
                    message: "services: missing; expected the environment's services by name, such as services: {web: {cpu: 256, memory: 512}}"))
        }
        reader.reportUnknownKeys()
        var config = EnvironmentConfig(name: name, file: file, app: app ?? "", settings: settings)
        config.positions = reader.positionsByPath
        config.serviceKeyPrefixes = prefixes
        config.refusedRouting = refusedRouting
        // What the values themselves break (a cpu/memory pair, a routing clash), with the file's
        // other mistakes: every one at once, each at its key.
        let tagged = Set(tagErrors.map { "\($0.line):\($0.column)" })
        let errors = tagErrors + (reader.errors + extensionErrors + config.valueProblems(placedBy: reader)).filter { !tagged.contains("\($0.line):\($0.column)") }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        return config
    }

    /// The settings' own checks of the values read, placed at their keys in the file (`reader`
    /// knows which list items were left out of the values as mistakes).
    private func valueProblems(placedBy reader: YAMLMappingReader) -> [SourceError] {
        var found: [(key: String, service: String?, message: String)] = []
        for problem in SharedEnvironment(environment: settings, qualifiedName: name).validate() {
            found.append((problem.location, nil, problem.message))
        }
        for service in settings.services {
            for problem in service.value.validate(in: settings) { found.append((problem.location, service.name, problem.message)) }
        }
        let routed = settings.services.filter { $0.value.usesSharedLoadBalancer && !refusedRouting.contains($0.name) }.map {
            Named($0.name, $0.value.routing)
        }
        for problem in ListenerRulePriorities.assign(routed).problems {
            found.append((problem.location, problem.service, problem.message))
        }
        found += repositoryClashes()
        return found.map { problem in
            let prefix = problem.service.flatMap { serviceKeyPrefixes[$0] } ?? ""
            let key = reader.pathInFile(prefix + problem.key)
            let inFile = String(key.dropFirst(prefix.count))
            let mark = location(of: inFile, service: problem.service)
            let parts = mark?.split(separator: ":").suffix(2).compactMap { Int($0) } ?? []
            return SourceError(
                file: file, line: parts.first ?? 0, column: parts.last ?? 0, message: "\(key): \(problem.message)")
        }
    }

    /// Two of the file's services that name one repository, one of them by its default name
    /// (`<app>/<service>`): said at the `repository:` that names the other's (the second's when
    /// both do). Across files, `Configuration.repositoryProblems` says it.
    private func repositoryClashes() -> [(key: String, service: String?, message: String)] {
        guard !app.isEmpty else { return [] }
        var owners: [String: (service: String, named: Bool)] = [:]
        var found: [(key: String, service: String?, message: String)] = []
        for service in settings.services where !(service.value.kind == .job && service.value.job.imageOf != nil) {
            let repository = service.value.repository ?? "\(app)/\(service.name)"
            guard let owner = owners[repository] else {
                owners[repository] = (service.name, service.value.repository != nil)
                continue
            }
            let (culprit, other) = service.value.repository != nil || !owner.named ? (service.name, owner.service) : (owner.service, service.name)
            found.append(
                ("repository", culprit,
                 AppBlueprint.repositoryClash(repository, ownedBy: other)))
        }
        return found
    }

    /// How many values an environment file may hold, aliases expanded: far more than any real
    /// file, far fewer than an alias bomb.
    static let maximumValues = 100_000

    /// How much text an environment file's scalars may hold, aliases expanded (16 MiB): far more
    /// than any real file, far less than one long value repeated by aliases thousands of times,
    /// which would fill memory as its templates were rendered.
    static let maximumTextBytes = 16 << 20

    /// Tags are CloudFormation's business, not an environment file's: language-specific ones
    /// (`!!python/object`) and local ones (`!Ref`) are refused, each where it stands. Also says
    /// whether the file has a merge key (`<<`) to resolve.
    private static func checkedTags(_ root: YAMLNode, file: String) -> (errors: [SourceError], overLimit: Bool, mergeKeys: Bool) {
        var errors: [SourceError] = []
        var mergeKeys = false
        var remaining = maximumValues
        var remainingBytes = maximumTextBytes
        var stack = [root]
        while let node = stack.popLast() {
            remaining -= 1
            remainingBytes -= node.text?.utf8.count ?? 0
            let overLimit =
                remaining < 0
                ? "the file expands to more than \(maximumValues) values, far more than an environment file needs; aliases (*name) that repeat each other, if it has any, are refused too"
                : remainingBytes < 0
                    ? "the file's values expand to more than \(maximumTextBytes >> 20) MiB of text; aliases (*name) that repeat a long value are refused"
                    : nil
            if let overLimit { return ([SourceError(file: file, mark: node.mark, message: overLimit)], true, mergeKeys) }
            if !node.tag.isEmpty {
                let tag = node.tag
                if let foreign = YAMLScalar.foreignStandardTag(of: node) {
                    errors.append(SourceError(file: file, mark: node.mark, message: "the tag \(foreign) is not allowed in an environment file"))
                } else if tag != "!" && !tag.hasPrefix("tag:yaml.org,2002:") {
                    // A local tag (`!Ref`), or a global one (`!<tag:example.com,2024:x>`).
                    errors.append(
                        SourceError(file: file, mark: node.mark, message: "the tag \(tag) is not allowed in an environment file; write the value as plain text"))
                }
            }
            // Children pushed last first, so that they pop in document order.
            switch node.content {
            case .mapping(let pairs):
                for pair in pairs.reversed() {
                    stack.append(pair.value)
                    stack.append(pair.key)
                    if case .scalar("<<", true) = pair.key.content { mergeKeys = true }
                    // YAML counts `!!int cpu` and `cpu` as two keys; Berth would read one and
                    // ignore the other. (A tag outside the core schema is refused above.)
                    let keyTag = pair.key.tag
                    if keyTag.hasPrefix("tag:yaml.org,2002:"), keyTag != "tag:yaml.org,2002:str", YAMLScalar.foreignStandardTag(of: pair.key) == nil {
                        errors.append(
                            SourceError(
                                file: file, mark: pair.key.mark,
                                message: "the key \(pair.key.text ?? "") carries the tag !!\(pair.key.tag.dropFirst("tag:yaml.org,2002:".count)); write keys as plain text"))
                    }
                }
            case .sequence(let elements): stack.append(contentsOf: elements.reversed())
            case .scalar: break
            }
        }
        return (errors, false, mergeKeys)
    }

    /// What the environment's services share.
    private static func readShared(_ reader: inout YAMLMappingReader, into settings: inout EnvironmentSettings) {
        if let profile = reader.choice("controls", ControlProfile.allCases.map(\.rawValue)) {
            settings.controls = ControlProfile(rawValue: profile)
        }
        if var nested = reader.mapping("network") {
            let vpc = nested.choice("vpc", ["new", "existing"])
            switch vpc {
            case "existing":
                let vpcID = nested.string("vpcId", required: true, expected: "a VPC ID (vpc-…)")
                let publicSubnets = nested.stringList("publicSubnetIds", required: true)
                let privateSubnets = nested.stringList("privateSubnetIds") ?? []
                if nested.has("privateSubnets") {
                    nested.refuse("privateSubnets", "is for vpc: new; an existing VPC names its tasks' subnets in privateSubnetIds")
                }
                // Without its ID or its subnets (refused above), the VPC is not checked further: a
                // subnet list refused would be "fewer than two subnets" too.
                if let vpcID, let publicSubnets {
                    settings.network = .existing(vpcID: vpcID, publicSubnetIDs: publicSubnets, privateSubnetIDs: privateSubnets)
                }
            default:
                // An existing VPC's keys without `vpc: existing` (which is not the default).
                // (A `vpc:` refused is its own mistake: the keys are left unread.)
                let existingKeys = ["vpcId", "publicSubnetIds", "privateSubnetIds"]
                if vpc != nil || !nested.has("vpc"), let first = existingKeys.first(where: nested.has) {
                    nested.refuse(
                        first, vpc == nil ? "is read with vpc: existing, which an existing VPC needs: add it" : "is for vpc: existing; a new VPC makes its own subnets")
                }
                nested.leaveUnread(existingKeys)
                let cidr = nested.string("cidr") ?? "10.0.0.0/16"
                settings.network = .newVPC(cidr: cidr, privateSubnets: nested.bool("privateSubnets"))
            }
            reader.finish(nested)
        }
        if var nested = reader.mapping("https") {
            if let arn = nested.string("certificateArn", required: true, expected: "an ACM certificate ARN") {
                settings.https = .init(certificateArn: arn)
            }
            reader.finish(nested)
        }
        if var nested = reader.mapping("lifecycle") {
            nested.read(EnvironmentSettings.Rules.keepImages, into: &settings)
            reader.finish(nested)
        }
        if let value = reader.bool("containerInsights") { settings.containerInsights = value }
        if let value = reader.bool("protected") { settings.isProtected = value }
        if var nested = reader.mapping("accessLogs") {
            let bucketRule = "an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens"
            let prefixRule = "a key prefix without a leading or trailing / and without AWSLogs"
            let bucket = nested.string("bucket", required: true, expected: bucketRule, where: S3BucketName.isValid)
            let prefix = nested.string("prefix", expected: prefixRule) { prefix in
                !prefix.isEmpty && !prefix.hasPrefix("/") && !prefix.hasSuffix("/") && !prefix.contains("AWSLogs") && prefix.utf8.count <= 512
            }
            if let bucket { settings.accessLogs = .init(bucket: bucket, prefix: prefix) }
            reader.finish(nested)
        }
        if let value = reader.bool("loadBalancerDeletionProtection") { settings.loadBalancerDeletionProtection = value }
        settings.repositoryKMSKeyArn = reader.string("repositoryKmsKeyArn", expected: kmsKeyExpectation, where: isKMSKeyArn)
        settings.cloudFormationRoleArn = reader.string(
            "cloudFormationRoleArn", expected: cloudFormationRoleArnExpectation, where: { IAMName.roleAccount(of: $0) != nil })
        settings.permissionsBoundary = reader.string(
            "permissionsBoundary", expected: permissionsBoundaryExpectation, where: { IAMName.policyAccount(of: $0) != nil || IAMName.isPolicyName($0) })
        // An empty `signatures:` (its lines commented out) would drop the signature check, and an
        // empty `template:` would make the template an environment of its own: refused, as
        // every empty key is, and said what goes there.
        if var nested = reader.mapping("signatures", expected: "cosign: {publicKey: …} or cosign: {keyless: …}") {
            settings.signatures = readSignatures(&nested)
            reader.finish(nested)
        }
        if var nested = reader.mapping("template", expected: "namePrefix: …") {
            // A preview's name is the prefix and at least one more character, 32 in all.
            let rule = "an environment name's start ending with a hyphen, at most 31 characters, such as pr-"
            settings.previewPrefix = nested.string("namePrefix", required: true, expected: rule) { prefix in
                prefix.hasSuffix("-") && prefix.utf8.count <= 31 && isValidName(String(prefix.dropLast()))
            }
            reader.finish(nested)
        }
    }

    /// `signatures: {cosign: {publicKey: FILE or KMS key ARN}}` or
    /// `signatures: {cosign: {keyless: {trustedRoot: FILE, issuer: …, subject: … | subjectRegexp: …}}}`.
    /// FILEs are relative to the environment file; a key file must hold a public key, a trusted
    /// root must be Sigstore's `trusted_root.json`, a subject regexp must compile.
    private static func readSignatures(_ reader: inout YAMLMappingReader) -> SignatureRequirement? {
        guard var cosign = reader.mapping("cosign", required: true) else { return nil }
        defer { reader.finish(cosign) }
        if cosign.has("keyless") {
            if cosign.has("publicKey") {
                cosign.refuse("publicKey", "give either publicKey (a key pair) or keyless (Fulcio certificates), not both")
                // Read, not reported as an unknown key: the refusal names it.
                _ = cosign.mapping("keyless")
                return nil
            }
            guard var keyless = cosign.mapping("keyless", required: true) else { return nil }
            defer { cosign.finish(keyless) }
            return readKeyless(&keyless)
        }
        let expected = "the file of the Cosign public key (cosign.pub), relative to this file, or a KMS key ARN"
        guard let key = cosign.string("publicKey", required: true, expected: expected) else { return nil }
        if key.hasPrefix("awskms://") {
            cosign.refuse("publicKey", "name the KMS key by its ARN (arn:aws:kms:<region>:<account>:key/<id> or alias/<name>), not Cosign's awskms:// URI")
            return nil
        }
        if key.hasPrefix("arn:") {
            guard isKMSKeyOrAliasArn(key) else {
                cosign.refuse("publicKey", "\(key) is not a KMS key ARN: expected arn:aws:kms:<region>:<account>:key/<id> or arn:aws:kms:<region>:<account>:alias/<name>")
                return nil
            }
            return .kmsKey(key)
        }
        guard let path = readableFile(key, in: &cosign, key: "publicKey", check: { Crypto.publicKeyKind($0).cosignProblem }) else {
            return nil
        }
        return .publicKeyFile(path)
    }

    /// `keyless: {trustedRoot: FILE, issuer: …, subject: … | subjectRegexp: …}`.
    private static func readKeyless(_ keyless: inout YAMLMappingReader) -> SignatureRequirement? {
        let rootFile = keyless.string("trustedRoot", required: true, expected: "Sigstore's trusted_root.json, relative to this file")
        let issuer = keyless.string("issuer", required: true, expected: "the OIDC issuer, such as https://token.actions.githubusercontent.com") { !$0.isEmpty }
        let exact = keyless.string("subject", expected: "the certificate identity, such as https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main") { !$0.isEmpty }
        let pattern = keyless.string("subjectRegexp", expected: "a regular expression that the whole certificate identity must match") { !$0.isEmpty }
        var subject: KeylessIdentity.Subject?
        switch (exact, pattern) {
        case (let exact?, nil): subject = .exact(exact)
        case (nil, let pattern?):
            if (try? Regex(pattern)) == nil {
                keyless.refuse("subjectRegexp", "\(pattern) is not a regular expression that compiles")
            } else {
                subject = .regexp(pattern)
            }
        case (.some, .some):
            keyless.refuse("subjectRegexp", "give either subject or subjectRegexp, not both")
        case (nil, nil):
            if !keyless.has("subject") && !keyless.has("subjectRegexp") {
                keyless.errors.append(
                    SourceError(file: keyless.file, mark: keyless.mark, message: "\(keyless.path): give subject (the exact identity) or subjectRegexp"))
            }
        }
        var path: String?
        if let rootFile {
            path = readableFile(rootFile, in: &keyless, key: "trustedRoot", limit: 1024 * 1024) { bytes in
                guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
                    let authorities = root["certificateAuthorities"] as? [Any], !authorities.isEmpty,
                    let logs = root["tlogs"] as? [Any], !logs.isEmpty
                else {
                    return "is not a Sigstore trusted root (trusted_root.json with certificateAuthorities and tlogs; get one with cosign trusted-root create or from Sigstore's TUF repository)"
                }
                return nil
            }
        }
        guard let path, let issuer, let subject else { return nil }
        return .keyless(KeylessIdentity(trustedRootFile: path, issuer: issuer, subject: subject))
    }

    /// `name`, resolved against the environment file's directory, when it is a regular file that
    /// `check` finds no problem with; otherwise an error at `key`.
    private static func readableFile(
        _ name: String, in reader: inout YAMLMappingReader, key: String, limit: Int = 64 * 1024, check: ([UInt8]) -> String?
    ) -> String? {
        var path = name
        if !name.hasPrefix("/"), let slash = reader.file.lastIndex(of: "/") { path = reader.file[...slash] + name }
        let problem: String?
        if name.isEmpty {
            problem = "is empty; name a file, relative to the environment file's directory"
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            // The system would read the path only up to a NUL: another file than the one named.
            problem = "holds a control character; name a file by its plain path"
        } else {
            do {
                problem = check(try RegularFile.read(path, limit: limit)).map { "\(path) \($0)" }
            } catch {
                problem = "\(error)"
            }
        }
        if let problem {
            let qualified = (reader.path.isEmpty ? "" : reader.path + ".") + key
            reader.errors.append(SourceError(file: reader.file, mark: reader.position(of: qualified), message: "\(qualified): \(problem)"))
            return nil
        }
        return path
    }

    /// A KMS key ARN, or an alias ARN (`arn:aws:kms:<region>:<account>:alias/<name>`).
    static func isKMSKeyOrAliasArn(_ arn: String) -> Bool {
        if isKMSKeyArn(arn) { return true }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && parts[1].hasPrefix("aws") && parts[2] == "kms" && RegionName.isValid(String(parts[3]))
            && parts[4].count == 12 && DecimalText.isDigits(parts[4]) && parts[5].hasPrefix("alias/") && parts[5].count > 6
            && !arn.contains { $0 == "*" || $0 == "?" }
    }

    static let kmsKeyExpectation = "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"

    /// `arn:<partition>:kms:<region>:<account>:key/<id>`: what log groups and repositories take.
    /// One key: no `*` or `?`, which a policy's resource reads as wildcards (`kms:Decrypt` on
    /// `key/*` would reach every key).
    static func isKMSKeyArn(_ arn: String) -> Bool {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && parts[1].hasPrefix("aws") && parts[2] == "kms" && RegionName.isValid(String(parts[3]))
            && parts[4].count == 12 && DecimalText.isDigits(parts[4]) && parts[5].hasPrefix("key/") && parts[5].count > 4
            && !arn.contains { $0 == "*" || $0 == "?" }
    }

    /// `eu-west-1`, `us-gov-east-1`, `ap-southeast-2`: AWS's region pattern (see `RegionName`).
    static func isRegion(_ text: String) -> Bool { RegionName.isValid(text) }
}
