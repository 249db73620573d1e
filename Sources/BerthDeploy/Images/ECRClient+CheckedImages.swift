import BerthAWS
import BerthModel

extension ECRClient {
    /// Every image of `repository` (DescribeImages, every page), refused as a malformed answer
    /// (`UnexpectedResponseError`, naming the repository) when a digest is not ECR's shape
    /// (`ImageDigest`), as the image gate refuses one: what runs where, what expires and what
    /// is signed are all found by digest, so such images would be shown as fine, counted wrong,
    /// or merged and taken for signatures.
    public func checkedImages(of repository: String) async throws -> [Image] {
        let images = try await describeImages(repository: repository).collect()
        let malformed = images.count(where: { !ImageDigest.isValid($0.imageDigest) })
        guard malformed > 0 else { return images }
        let which = malformed == 1 ? "an image whose digest is" : "\(malformed) images whose digests are"
        throw UnexpectedResponseError(
            service: "ecr", operation: "DescribeImages", status: 200,
            body: Array("repository \(repository) lists \(which) not sha256: and 64 lowercase hexadecimal digits, as ECR writes them".utf8))
    }
}
