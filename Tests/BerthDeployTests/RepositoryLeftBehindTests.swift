import Testing

@testable import BerthDeploy

/// What a deploy of the repositories says of a repository stack the plan has no repository
/// for: never that the app lost a service it still has, and never to delete a repository that
/// a stack still pulls from.
@Suite struct RepositoryLeftBehindTests {
    @Test func theWordsFollowWhatTheListingFound() {
        let removed = RepositoryLeftBehind(
            stack: "shop-mailer-ecr", region: "eu-west-1", service: "mailer", repository: "shop/mailer", serviceRemains: false, stillRunBy: [])
        #expect(
            removed.summary
                == "shop-mailer-ecr (eu-west-1) holds repository shop/mailer of service mailer, which the files no longer name; it stays, with its images, "
                + "as Berth deletes no repository; delete the stack and the repository yourself once no environment runs its images and they are not needed")
        let borrowing = RepositoryLeftBehind(
            stack: "shop-migrate-ecr", region: "eu-west-1", service: "migrate", repository: nil, serviceRemains: true, stillRunBy: ["shop-migrate-prod"])
        #expect(
            borrowing.summary
                == "shop-migrate-ecr (eu-west-1) holds the repository of service migrate, which now runs another service's image; "
                + "shop-migrate-prod still runs its images: it stays, with them, as Berth deletes no repository")
    }
}
