import AWS
import Foundation
import TestSupport
import Testing

@testable import Deploy

@Suite struct ImageTagTests {
    @Test(arguments: ["dev-20261122-093000-0123abcd", "v1.2.3", "_x", "A", String(repeating: "a", count: 128)])
    func dockerTagsPass(tag: String) throws {
        #expect(try ImageTag(tag).value == tag)
    }

    @Test(arguments: ["pr-51/622d2103", ".hidden", "-dash", "", "has space", "ümlaut", String(repeating: "a", count: 129)])
    func invalidTagsAreRefused(tag: String) {
        #expect(throws: ImageGateError.invalidTag(tag)) { try ImageTag(tag) }
    }

    @Test(arguments: ["latest", "LATEST", "main", "develop", "master"])
    func mutableLookingTagsNeedConsent(tag: String) throws {
        #expect(throws: ImageGateError.mutableTag(tag)) { try ImageTag(tag) }
        #expect(try ImageTag(tag, allowMutable: true).value == tag)
    }

    @Test func messagesSayWhatToDo() {
        #expect("\(ImageGateError.invalidTag("pr-51/abc"))".contains("is not a valid image tag"))
        #expect("\(ImageGateError.mutableTag("latest"))".contains("--allow-mutable-tag"))
        let missing = ImageGateError.imageMissing(repository: "shop/api", tag: "dev-x", recentTags: ["dev-b", "dev-a"], waited: false)
        #expect("\(missing)" == "image shop/api:dev-x is not in ECR; push it first, or wait for the push with --wait-for-image; the most recent tags are: dev-b, dev-a")
    }
}
