import BerthAWS
import BerthTemplate
import BerthDeploy
import Foundation

extension RepositoryListing {
    /// The table: one row per image (with `prefix`, only images that have a tag with it).
    func table(prefix: String?, limit: Int) -> String {
        var rows: [[String]] = []
        for image in images {
            let tags = (image.imageTags ?? []).filter { prefix.map($0.hasPrefix) ?? true }
            guard !tags.isEmpty || (prefix == nil && image.imageTags?.isEmpty != false) else { continue }
            let digest = String(image.imageDigest.prefix(19))
            let pushed = image.pushedAt.map(TimeText.utc) ?? "-"
            let size = image.imageSizeInBytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "-"
            let runs = runningIn[image.imageDigest]?.joined(separator: ",") ?? "-"
            let lifecycle = expirations[image.imageDigest].map { "expires (rule \($0.priority))" } ?? (policySource == .none ? "-" : "kept")
            var row = [tags.isEmpty ? "<untagged>" : tags.sorted().joined(separator: ","), digest, pushed, size, runs]
            if hasSignatures {
                row.append(signatureImages.contains(image.imageDigest) ? "(signature)" : signed.contains(image.imageDigest) ? "signed" : "unsigned")
            }
            rows.append(row + [lifecycle])
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
        let header = ["tag", "digest", "pushed (UTC)", "size", "runs in"] + (hasSignatures ? ["signature"] : []) + ["lifecycle"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + rows).map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return "\(repository) (\(policy))\n" + lines.joined(separator: "\n") + "\n"
    }

    /// The repository in `berth images --json` (with `environment`, its images and warnings).
    func json(environment: String?) -> JSONValue {
        let prefix = environment.map { "\($0)-" }
        let shown = images.filter { image in prefix.map { prefix in (image.imageTags ?? []).contains { $0.hasPrefix(prefix) } } ?? true }
        let entries: [JSONValue] = shown.map(imageJSON)
        return .object([
            "repository": .string(repository),
            "lifecyclePolicy": .string(policySource.rawValue),
            "images": .array(entries),
            "warnings": .array(warnings(in: environment).map(JSONValue.string)),
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
            "signed": .bool(signed.contains(image.imageDigest)), "isSignature": .bool(signatureImages.contains(image.imageDigest)),
        ])
    }

}
