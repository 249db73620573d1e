import Testing

@testable import BerthResources

/// An ARN Berth puts in a policy names one resource: IAM reads `*` and `?` as wildcards there.
@Suite struct ARNTests {
    @Test func aWildcardInTheResourceIsRefusedButNotInWhatECSTakesAfterIt() {
        let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
        #expect(ARN.isWellFormed(secret, service: "secretsmanager", resourcePrefix: "secret:"))
        #expect(!ARN.isWellFormed("arn:aws:secretsmanager:eu-west-1:123456789012:secret:*", service: "secretsmanager", resourcePrefix: "secret:"))
        #expect(!ARN.isWellFormed("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????", service: "secretsmanager", resourcePrefix: "secret:"))
        #expect(!ARN.isWellFormed("arn:aws:ssm:eu-west-1:123456789012:parameter/shop/*", service: "ssm", resourcePrefix: "parameter/"))
        // A JSON key ECS reads from the secret (after the name) may hold any character; the
        // policy gets the secret's ARN without it.
        #expect(ARN.isWellFormed(secret + ":pass*word::", service: "secretsmanager", resourcePrefix: "secret:"))
        // Only a secret has fields after its name: anywhere else a wildcard is refused.
        #expect(!ARN.isWellFormed("arn:aws:ssm:eu-west-1:123456789012:parameter/app:x:*", service: "ssm", resourcePrefix: "parameter/"))
    }
}
