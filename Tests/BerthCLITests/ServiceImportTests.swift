import BerthAWS
import BerthCLI
import Foundation
import Testing

/// `ServiceImport` on ECS answers written here: what it carries over, what it changes to fit
/// and says so, and how it works the network out.
@Suite struct ServiceImportTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    private let taskDefinition = """
        {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/jobs:7", "cpu": "1024", "memory": "3072",
         "runtimePlatform": {"cpuArchitecture": "ARM64"},
         "containerDefinitions": [{"name": "jobs", "image": "ghcr.io/acme/jobs:1.2", "essential": true,
           "environment": [{"name": "IMAGE_TAG", "value": "x"}, {"name": "QUEUE", "value": "orders"},
             {"name": "DB_PASSWORD", "value": "plaintext-db-password"}, {"name": "STRIPE_API_KEY", "value": ""}],
           "secrets": [{"name": "TOKEN", "valueFrom": "jobs/token"}, {"name": "BAD", "valueFrom": "arn:aws:s3:::bucket/key"}],
           "healthCheck": {"command": ["CMD", "/bin/check", "--say", "it's ok"], "interval": 400, "retries": 2},
           "user": "1000:1000", "readonlyRootFilesystem": true, "command": ["serve", "--fast", "--password=plaintext-flag"],
           "entryPoint": ["--token=plaintext-entry"]}]}
        """

    @Test func aWorkerIsCarriedOverAndWhatBerthRefusesIsLeftOutAndNamed() throws {
        let service = try decode(
            ECSClient.Service.self,
            #"{"serviceName": "jobs", "desiredCount": 2, "launchType": "FARGATE", "enableExecuteCommand": true, "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1111aaaa", "subnet-2222bbbb"], "assignPublicIp": "ENABLED"}}}"#)
        let task = try decode(ECSClient.TaskDefinition.self, taskDefinition)
        let subnets = [
            EC2Client.Subnet(id: "subnet-1111aaaa", vpcID: "vpc-0123abcd", availabilityZone: "eu-west-1a", mapPublicIPOnLaunch: true),
            EC2Client.Subnet(id: "subnet-2222bbbb", vpcID: "vpc-0123abcd", availabilityZone: "eu-west-1b", mapPublicIPOnLaunch: true),
        ]
        let imported = ServiceImport(service: service, taskDefinition: task, subnets: (subnets, subnets))
        #expect(imported.settings.kind == .worker)
        #expect(imported.settings.size == FargateSize(cpu: 1024, memory: 3072))
        #expect(imported.settings.cpuArchitecture == .arm64)
        #expect(imported.settings.desiredCount == 2)
        #expect(imported.settings.enableExecuteCommand)
        // A plaintext value under a secret's name is left out (an empty one holds nothing).
        #expect(imported.settings.environment == ["QUEUE": "orders", "STRIPE_API_KEY": ""])
        #expect(imported.settings.secrets == ["TOKEN": "arn:aws:ssm:eu-west-1:111122223333:parameter/jobs/token"])
        #expect(imported.settings.containerHealthCheck?.command == ["CMD-SHELL", "/bin/check --say 'it'\\''s ok'"])
        #expect(imported.settings.containerHealthCheck?.intervalSeconds == 30)
        #expect(imported.settings.containerHealthCheck?.retries == 2)
        #expect(imported.settings.user == "1000:1000" && imported.settings.readonlyRootFilesystem)
        #expect(imported.network == .existing(vpcID: "vpc-0123abcd", publicSubnetIDs: ["subnet-1111aaaa", "subnet-2222bbbb"], privateSubnetIDs: []))
        #expect(imported.repository == nil)
        for expected in [
            "environment.IMAGE_TAG: left out", "secrets.BAD: left out", "containerHealthCheck.intervalSeconds: 400 is outside 5-300",
            "jobs: command serve (and 2 more words) is not carried over", "jobs: entryPoint (1 word) is not carried over",
            "environment.DB_PASSWORD: left out: its name says it holds a secret",
        ] {
            #expect(imported.notes.contains { $0.hasPrefix(expected) }, "\(expected) in \(imported.notes)")
        }
        // Neither the settings nor the notes (the file's header, the command's warnings) carry a
        // plaintext secret, whether a variable's value or a command's argument.
        let file = EnvironmentFile(app: "acme", region: "eu-west-1", services: [Named("jobs", imported.settings)], network: imported.network)
        #expect(!file.text.contains("plaintext"), "\(file.text)")
        #expect(!imported.notes.joined().contains("plaintext"))
        // What it writes reads back as the same settings.
        let read = try EnvironmentConfig.parse(file.text, name: "prod", file: "prod.yaml")
        #expect(read.settings.services.first?.value == imported.settings)
        #expect(read.settings.network == imported.network)
    }

    /// Values under names that say or end as a secret's (`PGPASSWORD`, `MYSQL_PWD`, `DB_PASS`,
    /// `SIGNING_KEY`), URLs with a password, a command line given as one word, and a health
    /// check that carries a password are never written into the file nor its notes.
    @Test func secretsInNamesValuesCommandLinesAndHealthChecksStayOut() throws {
        let definition = """
            {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/api:3", "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "api", "image": "ghcr.io/acme/api:1", "essential": true,
               "environment": [{"name": "PGPASSWORD", "value": "leak-1"}, {"name": "MYSQL_PWD", "value": "leak-2"},
                 {"name": "DB_PASS", "value": "leak-3"}, {"name": "SIGNING_KEY", "value": "leak-4"},
                 {"name": "DATABASE_URL", "value": "postgres://app:leak-5@db.internal:5432/app"},
                 {"name": "CACHE_URL", "value": "redis://cache.internal:6379/0"}, {"name": "ON", "value": "1"},
                 {"name": "TOKENIZER_MODEL", "value": "bpe"}, {"name": "CACHE_KEY", "value": "v2"}, {"name": "BYPASS", "value": "no"},
                 {"name": "REDIS_AUTH", "value": "leak-9"}, {"name": "APP_KEY", "value": "leak-10"}, {"name": "CLIENT_SECRETS", "value": "leak-11"},
                 {"name": "API_TOKENS", "value": "leak-12"}, {"name": "PRIVATEKEY", "value": "leak-13"}, {"name": "OPENAI_KEY", "value": "leak-14"},
                 {"name": "appKey", "value": "leak-15"}, {"name": "redisAuth", "value": "leak-16"}, {"name": "dbPass", "value": "leak-17"},
                 {"name": "AUTH_URL", "value": "https://auth.example"}, {"name": "NEXT_PUBLIC_SUPABASE_ANON_KEY", "value": "anon"},
                 {"name": "RECAPTCHA_SITE_KEY", "value": "site"}],
               "healthCheck": {"command": ["CMD-SHELL", "redis-cli -a leak-6 ping"]},
               "command": ["node app --token leak-7"], "entryPoint": ["sh", "-c", "exec node app --password leak-8"]}]}
            """
        let service = try decode(ECSClient.Service.self, #"{"serviceName": "api", "desiredCount": 1, "launchType": "FARGATE"}"#)
        let imported = ServiceImport(service: service, taskDefinition: try decode(ECSClient.TaskDefinition.self, definition), subnets: ([], []))
        #expect(imported.settings.environment == [
            "CACHE_URL": "redis://cache.internal:6379/0", "ON": "1", "TOKENIZER_MODEL": "bpe", "CACHE_KEY": "v2", "BYPASS": "no",
            "AUTH_URL": "https://auth.example", "NEXT_PUBLIC_SUPABASE_ANON_KEY": "anon", "RECAPTCHA_SITE_KEY": "site",
        ])
        #expect(imported.notes.contains { $0.hasPrefix("environment.DATABASE_URL: left out: its value is a URL with a password") })
        #expect(imported.settings.containerHealthCheck == nil)
        let file = EnvironmentFile(app: "acme", region: "eu-west-1", services: [Named("api", imported.settings)], network: imported.network)
        #expect(!file.text.contains("leak") && !imported.notes.joined().contains("leak"), "\(file.text)\n\(imported.notes)")
        #expect(imported.notes.contains { $0.hasPrefix("api: command node (and 3 more words) is not carried over") }, "\(imported.notes)")
        // One word (a CMD-SHELL line), counted as one.
        #expect(imported.notes.contains { $0.hasPrefix("containerHealthCheck: left out: its command may hold a secret (1 word),") }, "\(imported.notes)")
        // A variable named ON is written quoted, and reads back as a name, not a boolean.
        let read = try EnvironmentConfig.parse(file.text, name: "prod", file: "prod.yaml")
        #expect(read.settings.services.first?.value.environment["ON"] == "1")
    }

    /// A note holding C1 controls (NEL ends a comment in libyaml) or U+FFFF stays one comment.
    @Test func notesWithControlCharactersStayComments() throws {
        let definition = """
            {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/api:3", "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "api", "image": "ghcr.io/acme/api:1", "essential": true,
               "logConfiguration": {"logDriver": "splunk\\u0085region: us-east-1\\uffff"}, "environment": [{"name": "NOTE", "value": "a\\u0085b\\uffffc"}]}]}
            """
        let service = try decode(ECSClient.Service.self, #"{"serviceName": "api", "desiredCount": 1, "launchType": "FARGATE"}"#)
        let imported = ServiceImport(service: service, taskDefinition: try decode(ECSClient.TaskDefinition.self, definition), subnets: ([], []))
        let file = EnvironmentFile(app: "acme", region: "eu-west-1", services: [Named("api", imported.settings)], notes: imported.notes, network: imported.network)
        let read = try EnvironmentConfig.parse(file.text, name: "prod", file: "prod.yaml")
        #expect(read.settings.services.first?.value.environment["NOTE"] == "a\u{85}b\u{FFFF}c")
        #expect(read.app == "acme" && read.settings.region == "eu-west-1")
        #expect(imported.notes.contains { $0.contains("log driver") })
    }

    @Test func aNetworkThatCannotBeWorkedOutIsANote() throws {
        let service = try decode(
            ECSClient.Service.self,
            #"{"serviceName": "jobs", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1111aaaa"], "assignPublicIp": "ENABLED"}}}"#)
        let task = try decode(ECSClient.TaskDefinition.self, taskDefinition)
        let subnets = [EC2Client.Subnet(id: "subnet-1111aaaa", vpcID: "vpc-0123abcd", availabilityZone: nil, mapPublicIPOnLaunch: true)]
        let one = ServiceImport(service: service, taskDefinition: task, subnets: (subnets, subnets))
        #expect(one.network == nil)
        #expect(one.notes.contains { $0.contains("a load balancer needs two subnets") && $0.contains("vpcId: vpc-0123abcd") })
        let unread = ServiceImport(service: service, taskDefinition: task, subnetProblem: "EC2 DescribeSubnets failed (denied)")
        #expect(unread.network == nil)
        #expect(unread.notes.contains { $0.contains("but EC2 DescribeSubnets failed (denied)") })
        #expect(unread.notes.contains { $0.hasPrefix("capacity: the service uses a capacity provider strategy") })
    }
}
