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

    /// No AWS name holds a space, a control character, a quote, `${…}` (which IAM reads as a
    /// policy variable) or brackets: such an ARN is refused before it reaches a policy or a task
    /// definition.
    @Test func charactersNoAWSNameHoldsAreRefused() {
        let prefix = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
        for bad in ["a b", "a\nb", "a\"b", "${aws:username}", "a\u{0}b", "x\u{7F}", "[x]", "a\\b", "a'b", "a|b"] {
            #expect(!ARN.isWellFormed(prefix + bad, service: "secretsmanager", resourcePrefix: "secret:"), "\(bad)")
            #expect(!ARN.isWellFormed("arn:aws:ssm:eu-west-1:123456789012:parameter/" + bad, service: "ssm", resourcePrefix: "parameter/"), "\(bad)")
        }
        #expect(!ARN.isWellFormed("arn:aws:sns:eu-west-1:123456789012:a b", service: "sns"))
        #expect(!ARN.isWellFormed(prefix + "db-AbCdEf:pass\nword::", service: "secretsmanager", resourcePrefix: "secret:"))
        for good in ["db/prod_main+1=x.y@z-AbCdEf", "db-AbCdEf:password::", "db-AbCdEf:db password $1::"] {
            #expect(ARN.isWellFormed(prefix + good, service: "secretsmanager", resourcePrefix: "secret:"), "\(good)")
        }
        #expect(ARN.isWellFormed("arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db.url_1-x", service: "ssm", resourcePrefix: "parameter/"))
    }

    /// The partition is one of AWS's, the region has a region's shape, and a secret's ARN ends at
    /// most in ECS's json-key:version-stage:version-id.
    @Test func partitionRegionAndASecretsFieldsAreChecked() {
        let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
        for good in [
            secret + ":password:AWSCURRENT:", "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf",
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf",
        ] {
            #expect(ARN.isWellFormed(good, service: "secretsmanager", resourcePrefix: "secret:"), "\(good)")
        }
        for bad in [
            "arn:awsx:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", "arn:aws:secretsmanager:x-y-z:123456789012:secret:db-AbCdEf",
            "arn:aws:secretsmanager:eu-west-01:123456789012:secret:db-AbCdEf", "arn:aws:secretsmanager:EU-west-1:123456789012:secret:db-AbCdEf",
            secret + ":password:AWSCURRENT:extra:more",
        ] {
            #expect(!ARN.isWellFormed(bad, service: "secretsmanager", resourcePrefix: "secret:"), "\(bad)")
        }
        #expect(!ARN.isWellFormed("arn:awsx:ssm:eu-west-1:123456789012:parameter/x", service: "ssm", resourcePrefix: "parameter/"))
    }
}
