@testable import BerthDeploy
import Testing

@testable import BerthCLI

/// The library says what is wrong; the command line adds the flags that go on.
@Suite struct ErrorWordingTests {
    @Test func imageGateErrorsNameTheFlags() {
        #expect(ErrorWording.text(ImageGateError.mutableTag("latest")).hasSuffix("or pass --allow-mutable-tag"))
        #expect(
            ErrorWording.text(ImageGateError.tagMovesInRepository(tag: "dev-latest", repository: "shop/api", filter: "*-latest"))
                == "refusing tag \"dev-latest\": repository shop/api lets it move (it matches the mutable-tag filter \"*-latest\"), so it can point at a different image tomorrow; deploy an immutable tag such as dev-20261122-093000-0123abcd, or pass --allow-mutable-tag to deploy the image it points at now, pinned by digest")
        #expect(ErrorWording.text(ImageGateError.repositoryMissing("shop/api")) == "repository shop/api does not exist; deploy --phase ecr first")
        let missing = ImageGateError.imageMissing(repository: "shop/api", tag: "dev-x", recentTags: ["dev-b", "dev-a"], waited: false)
        #expect(
            ErrorWording.text(missing)
                == "image shop/api:dev-x is not in ECR; push it first, or wait for the push with --wait-for-image; the most recent tags are: dev-b, dev-a")
        let refusal = ImageGateRefusal(refusals: [("api", .repositoryNotReady(stack: "shop-api-ecr", status: nil))])
        #expect(ErrorWording.text(refusal) == "api: the repository stack shop-api-ecr does not exist; deploy --phase ecr first; no phase-2 stack was changed")
    }

    @Test func imageSelectionErrorsNameTheFlag() {
        #expect(
            ErrorWording.text(ImageSelectionError.missingTags(["api"]))
                == "no image tag for api: pass --image-tag TAG for every service, or --image-tag api=TAG")
        #expect(ErrorWording.text(ImageSelectionError.serviceNamedTwice("api")) == "--image-tag names service api twice")
        #expect(ErrorWording.text(ImageTagTemplate.Problem.missingEnvironment) == "{env} has no value: pass --env NAME")
    }
}
