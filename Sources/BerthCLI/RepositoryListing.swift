import AWS
import CloudFormation
import Deploy
import Foundation

/// One repository as `berth images` shows it: its images, newest first, which environments run
/// each, and which the lifecycle policy will expire.
struct RepositoryListing {
    /// Where the policy that was evaluated comes from.
    enum PolicySource: String {
        /// ECR's own (GetLifecyclePolicy).
        case deployed
        /// The repository stack's, which ECR does not have yet.
        case template
        case none
    }

    let repository: String
    let images: [ECRClient.Image]
    let policySource: PolicySource
    /// The rule that expires each image, by digest.
    let expirations: [String: LifecyclePreview.Rule]
    /// The environments that run each image, by digest.
    let runningIn: [String: [String]]
    /// Environments whose deployed image is no longer in the repository.
    let missing: [(environment: String, tag: String)]

    init(
        repository: String, images: [ECRClient.Image], policyText: String?, policySource: PolicySource,
        running: [(environment: String, tag: String?, digest: String?)], now: Date
    ) throws {
        self.repository = repository
        self.images = images.sorted { ($0.imagePushedAt ?? -.infinity) > ($1.imagePushedAt ?? -.infinity) }
        self.policySource = policySource
        do {
            expirations = try policyText.map { try LifecyclePreview(policyText: $0).expirations(of: images, now: now) } ?? [:]
        } catch {
            throw CommandFailure(.failure, "\(repository): \(error)")
        }
        var runningIn: [String: [String]] = [:]
        var missing: [(String, String)] = []
        for entry in running {
            let image = images.first { image in
                entry.digest.map { $0 == image.imageDigest } ?? entry.tag.map { (image.imageTags ?? []).contains($0) } ?? false
            }
            if let image {
                runningIn[image.imageDigest, default: []].append(entry.environment)
            } else if let tag = entry.tag {
                missing.append((entry.environment, tag))
            }
        }
        self.runningIn = runningIn
        self.missing = missing
    }

    /// Running images the policy will expire, and deployed images that are gone.
    var warnings: [String] {
        var found: [String] = []
        for image in images {
            guard let rule = expirations[image.imageDigest], let environments = runningIn[image.imageDigest] else { continue }
            found.append(
                "\(repository):\(Self.name(image)) runs in \(environments.joined(separator: ", ")), but the lifecycle policy will expire it (\(Self.describe(rule))); deploy a newer tag, or keep more images")
        }
        for entry in missing {
            found.append("\(entry.environment) runs \(repository):\(entry.tag), which is no longer in the repository")
        }
        return found
    }

    /// The table: one row per image (with `prefix`, only images that have a tag with it).
    func table(prefix: String?, limit: Int) -> String {
        var rows: [[String]] = []
        for image in images {
            let tags = (image.imageTags ?? []).filter { prefix.map($0.hasPrefix) ?? true }
            guard !tags.isEmpty || (prefix == nil && image.imageTags?.isEmpty != false) else { continue }
            let digest = String(image.imageDigest.prefix(19))
            let pushed = image.pushedAt.map(ImagesCommand.timestamp) ?? "-"
            let size = image.imageSizeInBytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "-"
            let runs = runningIn[image.imageDigest]?.joined(separator: ",") ?? "-"
            let lifecycle = expirations[image.imageDigest].map { "expires (rule \($0.priority))" } ?? (policySource == .none ? "-" : "kept")
            rows.append([tags.isEmpty ? "<untagged>" : tags.sorted().joined(separator: ","), digest, pushed, size, runs, lifecycle])
            if rows.count == limit { break }
        }
        let expiring = images.filter { expirations[$0.imageDigest] != nil }.count
        let policy = switch policySource {
        case .deployed: "lifecycle policy: ECR's, \(expiring) of \(images.count) images to expire"
        case .template: "lifecycle policy: the repository stack's (not in ECR yet), \(expiring) of \(images.count) images to expire"
        case .none: "no lifecycle policy"
        }
        guard !rows.isEmpty else {
            return "\(repository) (\(policy)): no images\(prefix.map { " tagged \($0)*" } ?? "")\n"
        }
        let header = ["tag", "digest", "pushed (UTC)", "size", "runs in", "lifecycle"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + rows).map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return "\(repository) (\(policy))\n" + lines.joined(separator: "\n") + "\n"
    }

    /// The repository in `berth images --json`.
    func json(prefix: String?) -> JSONValue {
        let shown = images.filter { image in prefix.map { prefix in (image.imageTags ?? []).contains { $0.hasPrefix(prefix) } } ?? true }
        let entries: [JSONValue] = shown.map(imageJSON)
        return .object([
            "repository": .string(repository),
            "lifecyclePolicy": .string(policySource.rawValue),
            "images": .array(entries),
            "warnings": .array(warnings.map(JSONValue.string)),
        ])
    }

    private func imageJSON(_ image: ECRClient.Image) -> JSONValue {
        let pushed: JSONValue = image.pushedAt.map { .string(UTCDateComponents($0).readable + " UTC") } ?? .null
        let size: JSONValue = image.imageSizeInBytes.map(JSONValue.int) ?? .null
        let rule: JSONValue = expirations[image.imageDigest].map { .int($0.priority) } ?? .null
        let tags: [JSONValue] = (image.imageTags ?? []).sorted().map(JSONValue.string)
        let runs: [JSONValue] = (runningIn[image.imageDigest] ?? []).map(JSONValue.string)
        return .object([
            "digest": .string(image.imageDigest), "tags": .array(tags), "pushedAt": pushed, "sizeBytes": size, "runsIn": .array(runs),
            "expires": .bool(expirations[image.imageDigest] != nil), "expiredByRule": rule,
        ])
    }

    private static func name(_ image: ECRClient.Image) -> String {
        image.imageTags?.sorted().first ?? String(image.imageDigest.prefix(19))
    }

    private static func describe(_ rule: LifecyclePreview.Rule) -> String {
        "rule \(rule.priority)" + (rule.description.map { ": \($0)" } ?? "")
    }
}
