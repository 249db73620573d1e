import BerthModel
import BerthAWS
import Foundation

/// One repository as `berth images` shows it: its images, newest first, which environments run
/// each, and which the lifecycle policy will expire.
public struct RepositoryListing: Sendable {
    /// Where the policy that was evaluated comes from.
    public enum PolicySource: String, Sendable {
        /// ECR's own (GetLifecyclePolicy).
        case deployed
        /// The repository stack's, which ECR does not have yet.
        case template
        case none
    }

    public let repository: String
    public let images: [ECRClient.Image]
    public let policySource: PolicySource
    /// The rule that expires each image, by digest.
    public let expirations: [String: LifecycleRule]
    /// The environments that run each image, by digest.
    public let runningIn: [String: [String]]
    /// Environments whose deployed image is no longer in the repository.
    public let missing: [(environment: String, tag: String)]
    /// The digests that have a Cosign signature in the repository: a signature image
    /// (`sha256-<hex>.sig`) or a signature referrer. Present, not verified: the deploy's gate
    /// checks the key and the digest it names.
    public let signed: Set<String>
    /// The digests of the signature images and referrers themselves.
    public let signatureImages: Set<String>

    /// `referrers`: the signature referrers found for some of `images` (ListImageReferrers), by
    /// the digest they refer to.
    public init(
        repository: String, images: [ECRClient.Image], policyText: String?, policySource: PolicySource,
        running: [(environment: String, tag: String?, digest: String?)], now: Date, referrers: [String: [String]] = [:]
    ) throws(InventoryError) {
        self.repository = repository
        self.images = images.sorted { ($0.imagePushedAt ?? -.infinity) > ($1.imagePushedAt ?? -.infinity) }
        self.policySource = policySource
        do {
            expirations = try policyText.map { try LifecyclePreview(policyText: $0).expirations(of: images, now: now) } ?? [:]
        } catch {
            throw InventoryError.unreadablePolicy(repository: repository, reason: "\(error)")
        }
        var runningIn: [String: [String]] = [:]
        var missing: [(String, String)] = []
        for entry in running {
            let image = images.first { image in
                entry.digest.map { $0 == image.imageDigest } ?? entry.tag.map { (image.imageTags ?? []).contains($0) } ?? false
            }
            if let image {
                // Two services of one environment can run one image (a job on a service's image).
                if !(runningIn[image.imageDigest] ?? []).contains(entry.environment) {
                    runningIn[image.imageDigest, default: []].append(entry.environment)
                }
            } else if let tag = entry.tag {
                missing.append((entry.environment, tag))
            }
        }
        self.runningIn = runningIn
        self.missing = missing
        var signed: Set<String> = []
        var signatureImages: Set<String> = []
        for image in images {
            for tag in image.imageTags ?? [] {
                guard let digest = Self.signedDigest(tag) else { continue }
                signed.insert(digest)
                signatureImages.insert(image.imageDigest)
            }
        }
        for (subject, artifacts) in referrers where !artifacts.isEmpty {
            signed.insert(subject)
            signatureImages.formUnion(artifacts)
        }
        self.signed = signed
        self.signatureImages = signatureImages
    }

    /// The digest whose signatures Cosign stores under `tag` (`sha256-<hex>.sig`), if it is one.
    static func signedDigest(_ tag: String) -> String? {
        guard tag.hasPrefix("sha256-"), tag.hasSuffix(".sig") else { return nil }
        let hex = tag.dropFirst("sha256-".count).dropLast(".sig".count)
        guard ImageDigest.isHex(hex) else { return nil }
        return "sha256:" + hex
    }

    /// Whether any image of the repository is signed.
    public var hasSignatures: Bool { !signed.isEmpty }

    /// Running images the policy will expire, and deployed images that are gone, in every
    /// environment.
    public var warnings: [String] { warnings(in: nil) }

    /// `warnings`, in `environment` alone (in every one when `nil`).
    public func warnings(in environment: String?) -> [String] {
        var found: [String] = []
        for image in images {
            guard let rule = expirations[image.imageDigest], let environments = runningIn[image.imageDigest],
                environment.map(environments.contains) ?? true
            else { continue }
            found.append(
                "\(repository):\(Self.name(image)) runs in \(environments.joined(separator: ", ")), but the lifecycle policy will expire it (\(Self.describe(rule))); deploy a newer tag, or keep more images")
        }
        for entry in missing where environment.map({ $0 == entry.environment }) ?? true {
            found.append("\(entry.environment) runs \(repository):\(entry.tag), which is no longer in the repository")
        }
        return found
    }

    static func name(_ image: ECRClient.Image) -> String {
        image.imageTags?.sorted().first ?? String(image.imageDigest.prefix(19))
    }

    static func describe(_ rule: LifecycleRule) -> String {
        "rule \(rule.priority)" + (rule.description.map { ": \($0)" } ?? "")
    }
}
