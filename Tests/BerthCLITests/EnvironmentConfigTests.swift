import BerthTemplate
import BerthResources
import Testing

@testable import BerthConfig
@testable import BerthCLI

@Suite struct EnvironmentConfigTests {
    private func parse(_ text: String) throws(ConfigurationError) -> EnvironmentConfig {
        try EnvironmentConfig.parse(text, name: "dev", file: "dev.yaml")
    }

    private func errors(_ text: String) -> [String] { environmentFileErrors(text) }

    /// A refused tag is reported with the file's other mistakes, and once: not again as the
    /// wrong type of the value it stands on.
    @Test func aRefusedTagHidesNoOtherMistake() {
        let found = errors("app: shop\nservice: api\nregion: eu-west-1\ncontainerInsights: !Ref X\ncpu: lots\nmemory: 512\n")
        #expect(found == [
            "dev.yaml:4:20: the tag !Ref is not allowed in an environment file; write the value as plain text",
            "dev.yaml:5:6: cpu: expected a whole number from 256 to 16384, got \"lots\"",
        ], "\(found)")
    }

    /// A value refused with the tag that made it what it is names the tag.
    @Test func aValueRefusedForItsTagNamesTheTag() {
        #expect(errors("app: shop\nservice: api\nregion: eu-west-1\ncontainerInsights: !!int false\ncpu: !!str 256\nmemory: 512\n") == [
            "dev.yaml:4:20: containerInsights: expected true or false, got \"false\" tagged !!int; remove the tag",
            "dev.yaml:5:6: cpu: expected a whole number from 256 to 16384, got \"256\" tagged !!str; remove the tag",
        ])
        // A tag that made nothing else of its text is named, but removing it would mend nothing.
        #expect(errors("app: shop\nservice: api\nregion: eu-west-1\ncontainerInsights: !!int 7\ncpu: 256\nmemory: 512\n") == [
            "dev.yaml:4:20: containerInsights: expected true or false, got \"7\" tagged !!int"
        ])
    }

    /// A secret's name that is no variable name is refused at its line without being repeated:
    /// it may be a `NAME=value` pasted as one name. The other entries are still read.
    @Test func aSecretsNameThatIsNoVariableNameIsNotRepeated() {
        let found = errors(
            "app: shop\nregion: eu-west-1\nservices:\n  api:\n    cpu: 256\n    memory: 512\n    secrets:\n"
                + "      TOKEN=hunter2: arn:aws:secretsmanager:eu-west-1:123456789012:secret:token\n      DB: plain\n")
        #expect(found == [
            "dev.yaml:8:7: services.api.secrets: a name of 13 characters is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*); "
                + "it is not repeated here, as it may be a value written where a name goes",
            "dev.yaml:9:7: services.api.secrets.DB: must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>) "
                + "or an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>); its value is not repeated here, as it may be the secret itself (5 characters)",
        ], "\(found)")
    }

    @Test func namesAreLowercaseLettersDigitsAndSingleHyphens() {
        for name in ["a", "dev", "web-2", "a1-b2-c3", String(repeating: "x", count: 32)] {
            #expect(EnvironmentConfig.isValidName(name), "\(name)")
        }
        for name in [
            "", "-a", "a-", "a--b", "1a", "Dev", "dEv", "a_b", "a.b", "a b", String(repeating: "x", count: 33), "é", "e\u{301}",
            "ｄev", "dev\u{301}", "a-\u{301}b", "a\r\nb",
        ] {
            #expect(!EnvironmentConfig.isValidName(name), "\(name)")
        }
    }

    /// Two keys that differ only in their Unicode code points (`K` and the Kelvin sign, `é` as one
    /// code point or two) are two keys to YAML, which a lookup by name would silently merge: each
    /// later one is refused at its line, a secret's without its name.
    @Test func keysThatDifferOnlyInCodePointsAreRefused() {
        let found = errors(
            "app: shop\nregion: eu-west-1\nservices:\n  api:\n    cpu: 256\n    memory: 512\n"
                + "    environment:\n      API_KEY: a\n      API_\u{212A}EY: b\n"
                + "    secrets:\n      DB_KEY: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\n"
                + "      DB_\u{212A}EY: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\n")
        #expect(found.contains("dev.yaml:9:7: services.api.environment.API_\u{212A}EY: the same key as on line 8, written with other Unicode code points; write it once"), "\(found)")
        #expect(found.contains("dev.yaml:12:7: services.api.secrets: a key: the same key as on line 11, written with other Unicode code points; write it once"), "\(found)")
        #expect(!found.contains { $0.utf8.contains(0xE2) && $0.contains("secrets") })  // the Kelvin sign's first byte: the name is not shown
        #expect(found.count == 2, "\(found)")
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n  api: {cpu: 256, memory: 512, environment: {API_KEY: a, API_KEY2: b}}\n").isEmpty)
    }

    /// A CloudFormation role of another account than the environment's stacks (copied from another
    /// environment's file), and a repositories' key of another region than theirs, are refused at
    /// their line: AWS would refuse every change set, or the repositories' creation.
    @Test func rolesAndKeysOfAnotherAccountOrRegionAreRefused() {
        let found = errors(
            """
            app: shop
            region: us-east-1
            account: "210987654321"
            cloudFormationRoleArn: arn:aws:iam::123456789012:role/berth-shop-cfn-exec
            repositories: {region: eu-west-1, account: "123456789012"}
            repositoryKmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
            services:
              api: {cpu: 256, memory: 512}
            """)
        #expect(found == [
            "dev.yaml:4:24: cloudFormationRoleArn: the role is in account 123456789012, and the environment's stacks are in 210987654321 (account); CloudFormation takes a role of the stack's own account only",
            "dev.yaml:6:22: repositoryKmsKeyArn: the key is in us-east-1, and the repositories are in eu-west-1; ECR encrypts a repository with a key of its own region",
        ], "\(found)")
        #expect(errors(
            """
            app: shop
            region: us-east-1
            roleArn: arn:aws:iam::210987654321:role/berth-shop-deploy
            cloudFormationRoleArn: arn:aws:iam::210987654321:role/berth-shop-cfn-exec
            repositoryKmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
            services:
              api: {cpu: 256, memory: 512}
            """).isEmpty)
    }

    @Test func theFixtureEnvironmentsParse() throws {
        let environments = try Configuration(directory: fixtureConfiguration).environments()
        #expect(environments.map(\.name) == ["dev", "prod"])
        let prod = environments[1]
        #expect(prod.settings.services.map(\.name) == ["web", "api", "worker"])
        let api = try #require(prod.settings.service("api"))
        #expect(api.size == FargateSize(cpu: 1024, memory: 2048))
        #expect(api.cpuArchitecture == .arm64)
        #expect(api.autoscaling == .init(minCount: 2, maxCount: 10, cpuTargetPercent: 60))
        #expect(api.routing.paths == ["/api/*"])
        #expect(prod.settings.keepImages == 30)
        #expect(api.containerHealthCheck?.command.first == "CMD-SHELL")
        #expect(prod.settings.service("worker")?.kind == .worker)
        #expect(prod.location(of: "routing.paths", service: "api") == "\(fixtureConfiguration)/prod.yaml:41:14")
        guard case .existing(let vpc, let publicSubnets, let privateSubnets) = prod.settings.network else {
            Issue.record("prod should use an existing VPC")
            return
        }
        #expect(vpc == "vpc-0a1b2c3d4e5f60718")
        #expect(publicSubnets.count == 2 && privateSubnets.count == 2)
    }

    @Test func theOneServiceFormIsAnAppOfOneService() throws {
        let config = try parse(minimalEnvironment)
        #expect(config.settings.services.map(\.name) == ["api"])
        let service = try #require(config.settings.service("api"))
        #expect(service.kind == .web)
        #expect(service.desiredCount == 1)
        #expect(service.containerPort == 8080)
        #expect(config.settings.network == .newVPC(cidr: "10.0.0.0/16"))
        #expect(config.settings.keepImages == 10)
        #expect(config.settings.https == nil)
        #expect(config.settings.tagPrefix == "dev-")
        #expect(config.location(of: "cpu", service: "api") == "dev.yaml:4:6")
    }

    @Test func servicesAreReadInFileOrderWithTheirKinds() throws {
        let config = try parse("""
            app: shop
            region: eu-west-1
            services:
              web:
                cpu: 256
                memory: 512
              jobs:
                kind: worker
                cpu: 512
                memory: 1024
                desiredCount: 3
              admin:
                cpu: 256
                memory: 512
                loadBalancer: dedicated
            """)
        #expect(config.settings.services.map(\.name) == ["web", "jobs", "admin"])
        #expect(config.settings.service("jobs")?.kind == .worker)
        #expect(config.settings.service("jobs")?.desiredCount == 3)
        #expect(config.settings.service("admin")?.loadBalancer == .dedicated)
        #expect(config.location(of: "desiredCount", service: "jobs") == "dev.yaml:11:19")
        #expect(config.location(of: "healthCheck.path", service: "web") == "dev.yaml:4:3")
    }

    @Test func serviceMistakesAreAllReportedWithTheirPlace() {
        let found = errors("""
            app: shop
            region: eu-west-1
            service: api
            services:
              Web:
                cpu: 256
                memory: 512
              worker:
                kind: worker
                cpu: 256
                memory: 512
                containerPort: 8080
                routing:
                  paths: [/x]
              admin:
                kind: cron
                cpu: 256
                memory: 512
                loadBalancer: dedicated
                routing:
                  paths: [/admin/*]
            """)
        #expect(found == [
            "dev.yaml:3:1: service: the one-service form (service: NAME) cannot be mixed with services:; move the service under services:",
            "dev.yaml:5:3: services.Web: not a valid service name: lowercase letters, digits and single hyphens, starting with a letter, at most 32",
            "dev.yaml:12:5: services.worker.containerPort: a worker takes no requests; remove the key, or make the service kind: web or kind: backend",
            "dev.yaml:13:5: services.worker.routing: a worker takes no requests; remove the key, or make the service kind: web or kind: backend",
            // A refused kind leaves the keys that depend on it unread: routing is no mistake of its own.
            "dev.yaml:16:11: services.admin.kind: expected one of web, worker, job, backend, got \"cron\"",
        ])
    }

    /// A cpu or memory refused hides none of the service's other mistakes, and the size is not
    /// refused a second time as a pair.
    @Test func aRefusedSizeHidesNoOtherMistakeOfItsService() {
        let found = errors("""
            app: shop
            region: eu-west-1
            services:
              worker:
                kind: worker
                cpu: 1
                memory: 512
                environment:
                  1BAD: x
                logs:
                  retentionDays: 13
            """)
        #expect(found.count == 3, "\(found)")
        #expect(found.first?.hasPrefix("dev.yaml:6:10: services.worker.cpu: expected a whole number from 256 to 16384, got 1") == true, "\(found)")
        #expect(found.contains { $0.hasPrefix("dev.yaml:9:7: services.worker.environment.1BAD: is not a valid variable name") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("dev.yaml:11:22: services.worker.logs.retentionDays:") }, "\(found)")
    }

    /// A kind refused (`kind: jobs`) is the one mistake reported for its service: the keys that
    /// depend on the kind (a job's schedule, a web service's routing) are neither refused nor read,
    /// and the service is not checked against the others (no catch-all clash with web). A key no
    /// kind has is still reported.
    @Test func aRefusedKindIsTheOnlyMistakeOfItsService() {
        let found = errors("""
            app: shop
            region: eu-west-1
            services:
              web: {cpu: 256, memory: 512}
              nightly:
                kind: jobs
                cpu: 256
                memory: 512
                schedule: rate(1 day)
                command: [report]
                timeoutMinutes: 30
                cpuu: 512
            """)
        #expect(found.count == 2, "\(found)")
        #expect(found.first == "dev.yaml:6:11: services.nightly.kind: expected one of web, worker, job, backend, got \"jobs\"")
        #expect(found.last == "dev.yaml:12:5: services.nightly.cpuu: unknown key; did you mean cpu?")
        // A misspelt kind key is the one mistake too: not a web service refusing a job's keys.
        let misspelt = errors("app: shop\nregion: eu-west-1\nservices:\n  nightly:\n    Kind: job\n    cpu: 256\n    memory: 512\n    schedule: rate(1 day)\n")
        #expect(misspelt == ["dev.yaml:5:5: services.nightly.Kind: unknown key; did you mean kind?"], "\(misspelt)")
    }

    /// One path where a list goes is refused with the list that was likely meant, and alone: the
    /// service's routing, not read, is not compared with the others' (as empty it would be a
    /// second catch-all beside web). A value a flow list would misread gets no such advice.
    @Test func aRefusedRoutingIsItsServicesOneMistake() {
        let found = errors("app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n  api:\n    cpu: 256\n    memory: 512\n    routing:\n      paths: /api/*\n")
        #expect(found == ["dev.yaml:9:14: services.api.routing.paths: expected a list of strings, got \"/api/*\"; write [/api/*] for a list of one"], "\(found)")
        let hosts = errors("app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n  api:\n    cpu: 256\n    memory: 512\n    routing:\n      hosts: \"a.example.com, b.example.com\"\n")
        #expect(hosts == [
            "dev.yaml:9:14: services.api.routing.hosts: expected a list of strings, got \"a.example.com, b.example.com\"; write [a.example.com, b.example.com] for a list"
        ], "\(hosts)")
        // A value a flow list would misread gets no advice; a misspelt key inside routing makes it unread too.
        let quoted = errors("app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n  api:\n    cpu: 256\n    memory: 512\n    routing:\n      hosts: \"*.example.com\"\n")
        #expect(quoted == ["dev.yaml:9:14: services.api.routing.hosts: expected a list of strings, got \"*.example.com\""], "\(quoted)")
        let misspelt = errors("app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n  api:\n    cpu: 256\n    memory: 512\n    routing: {path: /api}\n")
        #expect(misspelt == ["dev.yaml:8:15: services.api.routing.path: unknown key; did you mean paths?"], "\(misspelt)")
    }

    /// A key indented too little under a mapping it belongs to is one mistake, said as that:
    /// not an empty mapping and an unknown key besides.
    @Test func aKeyIndentedTooLittleIsSaidOnce() {
        let service = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
        #expect(errors(service + "    healthCheck:\n    path: /health\n") == [
            "dev.yaml:8:5: services.web.path: unknown key here; if it is one of healthCheck's keys, indent it under healthCheck (which is empty)"
        ])
        // Not at the same indentation, or a key known nearby: said as before.
        #expect(errors(service + "    healthCheck:\n    cpus: 2\n") == [
            "dev.yaml:7:5: services.web.healthCheck: is empty; expected a mapping, or remove the key",
            "dev.yaml:8:5: services.web.cpus: unknown key; did you mean cpu?",
        ])
    }

    /// From a review of the messages above: each mistake is still said once, and the advice
    /// fires only where it fits.
    @Test func reviewedMessagesFitTheirMistake() {
        let service = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
        // A key that holds no mapping left empty: no indentation advice.
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n  web:\n    memory: 512\n    cpu:\n    foo: 1\n") == [
            "dev.yaml:6:5: services.web.cpu: is empty; expected a whole number from 256 to 16384",
            "dev.yaml:7:5: services.web.foo: unknown key; expected one of kind, cpu, memory, desiredCount, architecture, containerPort, loadBalancer, routing, "
                + "healthCheck, containerHealthCheck, readonlyRootFilesystem, scratchPaths, user, repository, mutableTags, environment, secrets, logs, "
                + "autoscaling, deployment, execCommand",
        ])
        #expect(errors(service + "    containerHealthCheck:\n      command: [NONE]\n") == [
            "dev.yaml:8:16: services.web.containerHealthCheck.command: NONE turns Docker's check off; remove containerHealthCheck instead"
        ])
        let routed = "app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n  api:\n    cpu: 256\n    memory: 512\n"
        #expect(errors(routed + "    routing: /api/*\n") == ["dev.yaml:8:14: services.api.routing: expected a mapping of keys to values, got a string"])
        // x- names under services: anchors, not services.
        let anchored = try? parse("app: shop\nregion: eu-west-1\nservices:\n  x-base: &base {cpu: 256, memory: 512}\n  web:\n    <<: *base\n")
        #expect(anchored?.settings.services.map(\.name) == ["web"])
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\nnetwork:\n  vpc: existin\n  vpcId: vpc-0123456789abcdef0\n") == [
            "dev.yaml:6:8: network.vpc: expected one of new, existing, got \"existin\""
        ])
        #expect(errors("- app\n- shop\n") == ["dev.yaml:1:1: the file: expected a mapping of keys to values, got a list"])
        #expect(!YAMLMappingReader.isPlainListItem("/a:") && !YAMLMappingReader.isPlainListItem("null") && !YAMLMappingReader.isPlainListItem("8080"))
        #expect(YAMLMappingReader.isPlainListItem("/api/*"))
    }

    /// An existing VPC's keys without `vpc: existing` say to add it, once; a subnet list refused
    /// is not also too short.
    @Test func anExistingVPCsKeysWithoutVpcExistingSayToAddIt() {
        let network = "app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\nnetwork:\n"
        #expect(errors(network + "  vpcId: vpc-0123456789abcdef0\n  publicSubnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]\n") == [
            "dev.yaml:6:3: network.vpcId: is read with vpc: existing, which an existing VPC needs: add it"
        ])
        #expect(errors(network + "  vpc: new\n  privateSubnetIds: [subnet-0123456789abcdef0]\n") == [
            "dev.yaml:7:3: network.privateSubnetIds: is for vpc: existing; a new VPC makes its own subnets"
        ])
        #expect(errors(network + "  vpc: existing\n  vpcId: vpc-0123456789abcdef0\n  publicSubnetIds: subnet-0123456789abcdef0,subnet-0123456789abcdef1\n") == [
            "dev.yaml:8:20: network.publicSubnetIds: expected a list of strings, got \"subnet-0123456789abcdef0,subnet-0123456789abcdef1\"; "
                + "write [subnet-0123456789abcdef0, subnet-0123456789abcdef1] for a list"
        ])
    }

    /// Mistakes people make by habit get the one line that mends them: a quoted number, Docker
    /// Compose's NAME=value list (its values not repeated), and a value where a mapping goes
    /// (once: not also each of the mapping's required keys as missing).
    @Test func habitualMistakesSayHowToWriteTheValue() {
        let service = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
        #expect(errors(service + "    desiredCount: \"2\"\n") == [
            "dev.yaml:7:19: services.web.desiredCount: expected a whole number from 0 to 10000, got \"2\"; quoted, a number is text: write it without quotes"
        ])
        let compose = errors(service + "    secrets:\n      - DB_PASSWORD=hunter2\n")
        #expect(compose == [
            "dev.yaml:8:7: services.web.secrets: expected a mapping of names to values, got a list; write each as NAME: value on a line of its own, not as a list of NAME=value"
        ])
        #expect(errors(service + "    autoscaling: true\n") == ["dev.yaml:7:18: services.web.autoscaling: expected a mapping of keys to values, got true"])
        #expect(errors(service + "    healthCheck: /health\n") == ["dev.yaml:7:18: services.web.healthCheck: expected a mapping of keys to values, got a string"])
    }

    /// Names other tools use are suggested as Berth's (`replicas` → `desiredCount`, `min` →
    /// `minCount`, a health check's `test` → `command`), and the key so meant is not also
    /// reported missing; the keys listed as expected are each listed once, without the keys
    /// the service's kind refuses.
    @Test func otherToolsNamesAreSuggestedAsBerths() {
        let service = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
        #expect(errors(service + "    replicas: 2\n") == ["dev.yaml:7:5: services.web.replicas: unknown key; did you mean desiredCount?"])
        #expect(errors(service + "    autoscaling: {min: 1, max: 3}\n") == [
            "dev.yaml:7:19: services.web.autoscaling.min: unknown key; did you mean minCount?",
            "dev.yaml:7:27: services.web.autoscaling.max: unknown key; did you mean maxCount?",
        ])
        #expect(errors(service + "    containerHealthCheck:\n      test: curl -f http://localhost\n      intervalSeconds: 30\n      retries: 3\n") == [
            "dev.yaml:8:7: services.web.containerHealthCheck.test: unknown key; did you mean command?"
        ])
        #expect(errors(service + "    execCommand: \"false\"\n") == [
            "dev.yaml:7:18: services.web.execCommand: expected true or false, got \"false\"; quoted, true and false are text: write it without quotes"
        ])
        let job = errors(service + "    kind: job\n    schedule: rate(1 day)\n    entrypoint: x\n")
        #expect(job == [
            "dev.yaml:9:5: services.web.entrypoint: unknown key; expected one of kind, cpu, memory, architecture, image, command, timeoutMinutes, "
                + "schedule, timezone, enabled, retries, runOnDeploy, notifyOnFailure, readonlyRootFilesystem, scratchPaths, "
                + "user, repository, mutableTags, environment, secrets, logs"
        ], "\(job)")
    }

    /// Docker Compose's `image:` and `command:` on a service, and an image reference on a job,
    /// are refused with what Berth runs instead.
    @Test func composesImageAndCommandAreSaidInBerthsTerms() {
        let service = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
        #expect(errors(service + "    image: nginx:latest\n    command: npm start\n") == [
            "dev.yaml:7:5: services.web.image: a service runs an image of its own repository (<app>/<service>, or repository:), tagged at each deploy; "
                + "only a job has image:, to run a service's image (image: {service: NAME})",
            "dev.yaml:8:5: services.web.command: a service runs its image's own command (the Dockerfile's CMD); only a job has command:",
        ])
        #expect(errors(service + "    kind: job\n    image: nginx:latest\n    schedule: rate(1 day)\n") == [
            "dev.yaml:8:5: services.web.image: a job runs the image of one of the environment's services, written image: {service: NAME}, "
                + "not an image reference (got \"nginx:latest\")"
        ])
    }

    /// YAML's merge key, as Docker Compose files use it: `<<: *defaults` adds the keys a
    /// mapping lacks (its own win; among a list's, the first), `x-` keys hold the anchors, and a
    /// mistake in merged keys is reported where they are written.
    @Test func mergeKeysAddTheKeysAMappingLacks() throws {
        let config = try parse("""
            app: shop
            region: eu-west-1
            x-defaults: &defaults
              cpu: 256
              memory: 512
              environment: {LOG_LEVEL: info}
            x-big: &big
              memory: 2048
              cpu: 1024
            services:
              web:
                <<: *defaults
                memory: 1024
              api:
                <<: [*big, *defaults]
                routing: {paths: [/api/*]}
              worker:
                kind: worker
                <<: *defaults
            """)
        #expect(config.settings.service("web")?.size == FargateSize(cpu: 256, memory: 1024))
        #expect(config.settings.service("api")?.size == FargateSize(cpu: 1024, memory: 2048))
        #expect(config.settings.service("api")?.environment == ["LOG_LEVEL": "info"])
        #expect(config.settings.service("worker")?.kind == .worker)
        let found = errors("app: shop\nregion: eu-west-1\nx-defaults: &d\n  cpu: 300\n  memory: 512\nservices:\n  web:\n    <<: *d\n")
        #expect(found.count == 1 && found[0].hasPrefix("dev.yaml:4:8: services.web.cpu:"), "\(found)")
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n  web:\n    <<: 3\n") == [
            "dev.yaml:5:9: << merges a mapping, or a list of mappings, such as *defaults or [*a, *b]"
        ])
        // An alias is placed where it is used, at its <<: the anchor may serve many services.
        #expect(errors("x-a: &a 5\nx-n: &n hello\napp: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n  api:\n    <<: [*n]\n") == [
            "dev.yaml:10:5: << merges a mapping, or a list of mappings, such as *defaults or [*a, *b]; *n (anchored at line 2) is not a mapping"
        ])
    }

    /// A container health check's command is a shell command line, or a list as Docker writes
    /// it: with CMD-SHELL or CMD first, or words run as CMD.
    @Test func aContainerHealthCheckTakesDockersListForms() throws {
        func command(_ value: String) throws -> [String]? {
            try parse("app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n    containerHealthCheck:\n      command: \(value)\n")
                .settings.service("web")?.containerHealthCheck?.command
        }
        #expect(try command("curl -f http://localhost/health") == ["CMD-SHELL", "curl -f http://localhost/health"])
        #expect(try command("[CMD-SHELL, curl -f http://localhost/health]") == ["CMD-SHELL", "curl -f http://localhost/health"])
        #expect(try command("[CMD, curl, -f, http://localhost/health]") == ["CMD", "curl", "-f", "http://localhost/health"])
        #expect(try command("[curl, -f, http://localhost/health]") == ["CMD", "curl", "-f", "http://localhost/health"])
        #expect(throws: ConfigurationError.self) { try command("[]") }
    }

    @Test func aBackendTakesAPortAndAContainerHealthCheckButNoLoadBalancerKeys() throws {
        let config = try parse("""
            app: shop
            region: eu-west-1
            services:
              api:
                kind: backend
                cpu: 256
                memory: 512
                containerPort: 9000
                containerHealthCheck:
                  command: curl -f http://localhost:9000/health
            """)
        let api = try #require(config.settings.service("api"))
        #expect(api.kind == .backend)
        #expect(api.containerPort == 9000)
        #expect(api.containerHealthCheck?.command == ["CMD-SHELL", "curl -f http://localhost:9000/health"])
        #expect(!api.usesSharedLoadBalancer)
        let defaulted = try parse("app: shop\nregion: eu-west-1\nservices:\n  api: {kind: backend, cpu: 256, memory: 512}\n")
        #expect(defaulted.settings.service("api")?.containerPort == 8080)
    }

    @Test func aBackendWithLoadBalancerKeysIsRefusedAtEachKey() {
        let why = "a backend has no load balancer; the environment's services reach it at http://<name>:<containerPort>. Remove the key, or make the service kind: web"
        #expect(errors("""
            app: shop
            region: eu-west-1
            services:
              api:
                kind: backend
                cpu: 256
                memory: 512
                routing:
                  paths: [/api/*]
                healthCheck:
                  path: /health
                loadBalancer: dedicated
                containerPort: 70000
            """) == [
            "dev.yaml:13:20: services.api.containerPort: expected a whole number from 1 to 65535, got 70000",
            "dev.yaml:8:5: services.api.routing: \(why)",
            "dev.yaml:10:5: services.api.healthCheck: \(why)",
            "dev.yaml:12:5: services.api.loadBalancer: \(why)",
        ])
    }

    @Test func jobsAreReadWithTheirKeys() throws {
        let config = try parse(
            """
            app: shop
            region: eu-west-1
            services:
              api: {cpu: 256, memory: 512}
              migrate:
                kind: job
                image: {service: api}
                command: bin/migrate --to "the latest" 'v 2'
                cpu: 256
                memory: 512
                timeoutMinutes: 15
                runOnDeploy: before-services
              nightly:
                kind: job
                command: [report, --since, 24 hours]
                cpu: 256
                memory: 512
                schedule: rate(1 day)
                timezone: Europe/Berlin
                enabled: false
                retries: 3
                notifyOnFailure: arn:aws:sns:eu-west-1:123456789012:alerts
            """)
        let migrate = try #require(config.settings.service("migrate"))
        #expect(migrate.kind == .job)
        #expect(migrate.job.imageOf == "api")
        #expect(migrate.job.command == ["bin/migrate", "--to", "the latest", "v 2"])
        #expect(migrate.job.timeoutMinutes == 15)
        #expect(migrate.job.runOnDeploy == .beforeServices)
        let nightly = try #require(config.settings.service("nightly"))
        #expect(nightly.job.command == ["report", "--since", "24 hours"])
        #expect(nightly.job.schedule == "rate(1 day)")
        #expect(nightly.job.timezone == "Europe/Berlin")
        #expect(!nightly.job.scheduleEnabled)
        #expect(nightly.job.retries == 3)
        #expect(nightly.job.failureTopicArn == "arn:aws:sns:eu-west-1:123456789012:alerts")
    }

    @Test func jobMistakesAreReportedAtTheirPlace() {
        let found = errors(
            """
            app: shop
            region: eu-west-1
            services:
              api:
                cpu: 256
                memory: 512
                runOnDeploy: before-services
              migrate:
                kind: job
                cpu: 256
                memory: 512
                containerPort: 8080
                desiredCount: 2
                command: bin/migrate "unclosed
                schedule: cron(0 3 * * *)
                timeoutMinutes: 0
                runOnDeploy: sometimes
              nightly:
                kind: job
                cpu: 256
                memory: 512
                timezone: Berlin Time
                notifyOnFailure: alerts
                schedule: rate(0 hours)
            """)
        #expect(found == [
            "dev.yaml:7:5: services.api.runOnDeploy: only a job has it; make the entry kind: job, or remove the key",
            "dev.yaml:12:5: services.migrate.containerPort: a job takes no requests; remove the key, or make it a service",
            "dev.yaml:14:14: services.migrate.command: cannot be split into words as a shell would: a \" is never closed",
            "dev.yaml:16:21: services.migrate.timeoutMinutes: expected a whole number from 1 to 10080, got 0",
            "dev.yaml:17:18: services.migrate.runOnDeploy: expected one of before-services, after-services, got \"sometimes\"",
            "dev.yaml:13:5: services.migrate.desiredCount: a job runs to its end and has no ECS service; remove the key, or make it a service",
            "dev.yaml:15:15: services.migrate.schedule: expected cron(minutes hours day-of-month month day-of-week year), with ? in one of the two day fields, such as cron(0 3 * * ? *), or rate(N minutes|hours|days), got \"cron(0 3 * * *)\" "
                + "(five fields: EventBridge takes cron(…) with six fields, the year last, and ? in one day field such as cron(0 3 * * ? *))",
            "dev.yaml:24:15: services.nightly.schedule: expected cron(minutes hours day-of-month month day-of-week year), with ? in one of the two day fields, such as cron(0 3 * * ? *), or rate(N minutes|hours|days), got \"rate(0 hours)\" (a rate's number is 1 or more)",
            "dev.yaml:22:15: services.nightly.timezone: expected an IANA time zone such as Europe/Berlin or UTC, got \"Berlin Time\"",
            "dev.yaml:23:22: services.nightly.notifyOnFailure: must be the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<topic>), got \"alerts\"",
        ])
    }

    /// A NUL would end a command's word where the process receives it.
    @Test func aJobsCommandHoldsNoNUL() {
        let found = errors("app: shop\nregion: eu-west-1\nservices:\n  migrate:\n    kind: job\n    cpu: 256\n    memory: 512\n    command: [bin/migrate, \"a\\0b\"]\n")
        #expect(found == ["dev.yaml:8:14: services.migrate.command: holds a NUL character, which a command's words cannot carry"], "\(found)")
    }

    /// What only a schedule reads is refused without one (`enabled: false` on a job run on deploy
    /// would look as if it turned the job off), and a failure alert must go to a topic of the
    /// environment's region: EventBridge sends a rule's events to targets in its own region.
    @Test func scheduleSettingsWithoutAScheduleAndAnotherRegionsTopicAreRefused() {
        let found = errors(
            """
            app: shop
            region: eu-west-1
            services:
              migrate:
                kind: job
                cpu: 256
                memory: 512
                runOnDeploy: before-services
                enabled: false
                retries: 2
                notifyOnFailure: arn:aws:sns:us-east-1:123456789012:alerts
            """)
        #expect(found == [
            "dev.yaml:9:14: services.migrate.enabled: turns a schedule on or off; add schedule, or remove enabled",
            "dev.yaml:10:14: services.migrate.retries: retries a scheduled run; add schedule, or remove retries",
            "dev.yaml:11:22: services.migrate.notifyOnFailure: is in us-east-1, and the failure alert's EventBridge rule, in eu-west-1, can send only to a topic of its own region",
        ], "\(found)")
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n  nightly: {kind: job, cpu: 256, memory: 512, schedule: rate(1 day), enabled: false, retries: 2, notifyOnFailure: arn:aws:sns:eu-west-1:123456789012:alerts}\n").isEmpty)
    }

    @Test func aFileWithoutServicesSaysHowToWriteThem() {
        #expect(errors("app: shop\nregion: eu-west-1\n") == [
            "dev.yaml:1:1: services: missing; expected the environment's services by name, such as services: {web: {cpu: 256, memory: 512}}"
        ])
        #expect(errors("app: shop\nregion: eu-west-1\nservices: {}\n") == [
            "dev.yaml:1:1: services: lists no service; add one such as web: {cpu: 256, memory: 512}"
        ])
        // Required: an empty services: is not told it may be removed.
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n") == ["dev.yaml:3:1: services: is empty; expected a mapping of names to mappings"])
    }

    /// An unknown key close to a known one (a typo, or another case) names that one; any other
    /// names every key expected there.
    @Test func unknownKeysNameTheKnownOnes() {
        let found = errors(minimalEnvironment + "cpus: 2\nhealthCheck:\n  pth: /x\n  Matcher: 200\nnotAKey: 1\n")
        #expect(found.count == 4)
        #expect(found.contains("dev.yaml:6:1: cpus: unknown key; did you mean cpu?"))
        #expect(found.contains("dev.yaml:8:3: healthCheck.pth: unknown key; did you mean path?"))
        #expect(found.contains("dev.yaml:9:3: healthCheck.Matcher: unknown key; did you mean matcher?"))
        #expect(found.contains { $0.hasPrefix("dev.yaml:10:1: notAKey: unknown key; expected one of app, region, controls, network, https, lifecycle, containerInsights, protected, accessLogs, loadBalancerDeletionProtection, repositoryKmsKeyArn, cloudFormationRoleArn, permissionsBoundary, signatures, template, account, roleArn, externalId, repositories, service, kind, cpu, memory,") })
    }

    /// The nearest name: within two edits (a swap of neighbours is one), fewer than half the
    /// typed name's length, case aside; none when two are as near.
    @Test func theNearestNameIsOneThatATypoExplains() {
        let keys = ["cpu", "memory", "maxCount", "minCount", "path", "kind"]
        #expect(NearestName.among(keys, to: "mmeory") == "memory")
        #expect(NearestName.among(keys, to: "MEMORY") == "memory")
        #expect(NearestName.among(keys, to: "memry") == "memory")
        #expect(NearestName.among(keys, to: "cpus") == "cpu")
        #expect(NearestName.among(keys, to: "mxCount") == "maxCount")
        #expect(NearestName.among(keys, to: "Count") == nil)  // three edits from minCount and maxCount
        #expect(NearestName.among(keys, to: "mCount") == nil)  // two from each: equally near
        #expect(NearestName.among(keys, to: "ab") == nil)
        #expect(NearestName.among(keys, to: "") == nil)
        #expect(NearestName.among(keys, to: "memory-limit") == nil)
        #expect(NearestName.among(keys, to: String(repeating: "m", count: 1 << 20)) == nil)  // no table for a megabyte
    }

    @Test func wrongTypesSayWhatWasExpected() {
        let found = errors(minimalEnvironment + "containerPort: eighty\nexecCommand: maybe\nenvironment: [a, b]\nhealthCheck: /health\n")
        #expect(found == [
            "dev.yaml:6:16: containerPort: expected a whole number from 1 to 65535, got \"eighty\"",
            "dev.yaml:9:14: healthCheck: expected a mapping of keys to values, got a string",
            "dev.yaml:8:14: environment: expected a mapping of names to values, got a list",
            "dev.yaml:7:14: execCommand: expected true or false, got \"maybe\"",
        ])
    }

    @Test func missingKeysAreReportedAtTheMapping() {
        let found = errors("app: shop\nservice: api\n")
        #expect(found == [
            "dev.yaml:1:1: region: missing; expected an AWS region such as eu-west-1",
            "dev.yaml:1:1: cpu: missing; expected a whole number from 256 to 16384",
            "dev.yaml:1:1: memory: missing; expected a whole number from 512 to 122880",
        ])
    }

    @Test func badValuesAreReportedAtTheValue() {
        let found = errors("""
            app: Shop
            service: api
            region: europe
            cpu: 256
            memory: 512
            desiredCount: -1
            network:
              vpc: sideways
            lifecycle:
              keepImages: 0
            """)
        #expect(found == [
            "dev.yaml:1:6: app: expected lowercase letters, digits and single hyphens, starting with a letter, at most 32, got \"Shop\"",
            "dev.yaml:3:9: region: expected an AWS region such as eu-west-1, got \"europe\"",
            "dev.yaml:8:8: network.vpc: expected one of new, existing, got \"sideways\"",
            "dev.yaml:10:15: lifecycle.keepImages: expected a whole number from 1 to 10000, got 0",
            "dev.yaml:6:15: desiredCount: expected a whole number from 0 to 10000, got -1",
        ])
    }

    @Test func quotedNumbersAreNotNumbers() {
        #expect(errors(minimalEnvironment + "containerPort: \"8080\"\n") == [
            "dev.yaml:6:16: containerPort: expected a whole number from 1 to 65535, got \"8080\"; quoted, a number is text: write it without quotes"
        ])
    }

    @Test func environmentValuesTakeAnyScalarAsText() throws {
        let config = try parse(minimalEnvironment + "environment:\n  PORT: 8080\n  DEBUG: true\n")
        #expect(config.settings.service("api")?.environment == ["PORT": "8080", "DEBUG": "true"])
        #expect(config.location(of: "environment.DEBUG", service: "api") == "dev.yaml:8:3")
    }

    /// A name that is not a plain string is refused at its line, never dropped (a list or a
    /// mapping) nor taken as its text (`~`, `true`, `1`); a null value likewise.
    @Test func variableNamesMustBePlainStrings() {
        for section in ["environment", "secrets"] {
            let found = errors(minimalEnvironment + "\(section):\n  ~: x\n  [a]: b\n  true: c\n  1.5: d\n  {k: v}: e\n")
            #expect(found.count == 5, "\(found)")
            #expect(found.contains("dev.yaml:7:3: \(section): names must be plain strings, got null; quote the name if it is text"), "\(found)")
            #expect(found.contains("dev.yaml:8:3: \(section): names must be plain strings, got a list; quote the name if it is text"), "\(found)")
            // Under secrets:, a scalar name's text is not repeated: it may be a pasted secret.
            let (boolean, number) = section == "secrets" ? ("a boolean;", "a number;") : ("a boolean (true)", "a number (1.5)")
            #expect(found.contains { $0.hasPrefix("dev.yaml:9:3: \(section): names must be plain strings, got \(boolean)") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("dev.yaml:10:3: \(section): names must be plain strings, got \(number)") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("dev.yaml:11:3: \(section): names must be plain strings, got a mapping") }, "\(found)")
        }
        #expect(errors(minimalEnvironment + "environment:\n  EMPTY:\n") == ["dev.yaml:7:9: environment.EMPTY: is empty (null); write \"\" for an empty value"])
        let quoted = try? parse(minimalEnvironment + "environment:\n  \"TRUE_\": \"\"\n  EMPTY: \"\"\n")
        #expect(quoted?.settings.service("api")?.environment == ["TRUE_": "", "EMPTY": ""])
    }

    /// A list item refused as it is read (empty, or not text) is left out of the value; a later
    /// item's own mistake is still placed at that item, not at the index it takes in the value.
    @Test func aListItemAfterARefusedOneIsPlacedWhereItIs() {
        let found = errors(minimalEnvironment + "routing:\n  paths:\n    - \n    - [a]\n    - no-slash\nscratchPaths:\n  - ~\n  - tmp\n")
        #expect(found == [
            "dev.yaml:8:6: routing.paths[0]: is empty (null); quote it if it is text (\"null\", \"~\", \"\")",
            "dev.yaml:9:7: routing.paths[1]: expected a string, got a list",
            "dev.yaml:12:5: scratchPaths[0]: is empty (null); quote it if it is text (\"null\", \"~\", \"\")",
            "dev.yaml:10:7: routing.paths[2]: \"no-slash\" must start with / and hold at most 128 of A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & * ?",
            "dev.yaml:13:5: scratchPaths[1]: \"tmp\" is not an absolute directory path other than /, without . or .. parts",
        ], "\(found)")
    }

    /// A scratch path through `..` would lay an empty volume over another directory, and two
    /// spellings of one directory would mount two volumes on it; a health check needs a command.
    @Test func scratchPathsAreDirectoriesOfTheirOwnAndAHealthCheckRunsSomething() {
        let scratch = errors(minimalEnvironment + "readonlyRootFilesystem: true\nscratchPaths: [/tmp/../etc, /var/./run, /tmp, /tmp/]\n")
        #expect(scratch == [
            "dev.yaml:7:16: scratchPaths[0]: \"/tmp/../etc\" is not an absolute directory path other than /, without . or .. parts",
            "dev.yaml:7:29: scratchPaths[1]: \"/var/./run\" is not an absolute directory path other than /, without . or .. parts",
            "dev.yaml:7:47: scratchPaths[3]: /tmp/ is listed twice",
        ], "\(scratch)")
        for command in ["\"\"", "\"  \""] {
            let check = errors(minimalEnvironment + "containerHealthCheck:\n  command: \(command)\n")
            #expect(check == ["dev.yaml:7:12: containerHealthCheck.command: holds no command to run"], "\(check)")
        }
    }

    /// Secrets may not take the names of the variables Berth sets itself, any more than plain
    /// variables may.
    @Test func variablesAndSecretsMayNotTakeBerthsOwnNames() {
        for name in ["IMAGE_TAG", "COMMIT_SHA", "BUILD_TIME"] {
            let secret = errors(minimalEnvironment + "secrets:\n  \(name): arn:aws:ssm:eu-west-1:123456789012:parameter/x\n")
            #expect(secret == ["dev.yaml:7:3: secrets.\(name): is set by Berth from the deploy's build metadata; choose another name"], "\(secret)")
            let plain = errors(minimalEnvironment + "environment:\n  \(name): mine\n")
            #expect(plain == ["dev.yaml:7:3: environment.\(name): is set by Berth from the deploy's build metadata; choose another name"], "\(plain)")
        }
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        let found = errors("app: shop\nservice: [api\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("dev.yaml:3:1: not valid YAML:"))
    }

    @Test func emptyFilesSayWhatIsNeeded() {
        #expect(errors("") == ["dev.yaml:1:1: the file is empty; expected app, region and services"])
    }

    @Test func environmentFileNamesMustBeUsableInStackNames() async throws {
        let config = try configuration(["Dev_1.yaml": minimalEnvironment])
        do {
            _ = try Configuration(directory: config).environments()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("\"Dev_1\" is not a valid environment name"))
        }
    }

    /// `ecr` ends the repository stacks' names: an environment of that name is refused at its file,
    /// once, instead of as a clash of every service's two stacks.
    @Test func anEnvironmentNamedEcrIsRefusedAtItsFile() throws {
        let config = try configuration(["ecr.yaml": minimalEnvironment, "dev.yaml": minimalEnvironment])
        #expect {
            try Configuration(directory: config).environments()
        } throws: { error in
            (error as? ConfigurationError)?.errors.map(\.description) == [
                "\(config)/ecr.yaml: ecr cannot name an environment: the repository stacks are named <app>-<service>-ecr, "
                    + "and the environment's service stacks would take those names; choose another name"
            ]
        }
        #expect(EnvironmentConfig.reservedNameProblem("ecr-eu") == nil && EnvironmentConfig.reservedNameProblem("dev") == nil)
        // A template of previews makes no stack of its own name: ecr.yaml may be one.
        let template = try configuration(["ecr.yaml": "app: shop\nregion: eu-west-1\ntemplate:\n  namePrefix: pr-\nservices:\n  api: {cpu: 256, memory: 512}\n"])
        #expect(throws: Never.self) { try Configuration(directory: template).environments() }
    }

    /// A preview's name is its template's prefix and more, 32 characters at most: a prefix of 32
    /// (or 33, with the hyphen after a valid 32-character name) could name no preview.
    @Test func aPrefixNoPreviewNameCanFollowIsRefused() {
        let longest = String(repeating: "p", count: 30) + "-"
        #expect(errors("app: shop\nregion: eu-west-1\ntemplate:\n  namePrefix: \(longest)\nservices:\n  api: {cpu: 256, memory: 512}\n") == [])
        for prefix in [String(repeating: "p", count: 31) + "-", String(repeating: "p", count: 32) + "-"] {
            #expect(errors("app: shop\nregion: eu-west-1\ntemplate:\n  namePrefix: \(prefix)\nservices:\n  api: {cpu: 256, memory: 512}\n") == [
                "dev.yaml:4:15: template.namePrefix: expected an environment name's start ending with a hyphen, at most 31 characters, such as pr-, got \"\(prefix)\""
            ])
        }
    }

    @Test func tagsAndAliasBombsAreRefused() {
        #expect(errors("app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: !!python/object:os.system 256, memory: !Ref Memory}\n") == [
            "dev.yaml:4:14: the tag !!python/object:os.system is not allowed in an environment file",
            "dev.yaml:4:53: the tag !Ref is not allowed in an environment file; write the value as plain text",
        ])
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...6 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let found = errors(lines.joined(separator: "\n") + "\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("the file expands to more than 100000 values") == true)
    }

    @Test func rolloutStrategiesAreReadWithTheirSteps() throws {
        let config = try parse("""
            app: shop
            region: eu-west-1
            services:
              web:
                cpu: 256
                memory: 512
                loadBalancer: dedicated
                deployment:
                  strategy: blue-green
                  bakeTimeMinutes: 10
                  testPort: 8443
              api:
                cpu: 256
                memory: 512
                deployment:
                  strategy: canary
                  canary: {percent: 12.5, bakeTimeMinutes: 7}
                  alarms: [api-5xx]
            """)
        let web = try #require(config.settings.service("web")?.rollout)
        #expect(web.strategy == .blueGreen)
        #expect(web.bakeTimeMinutes == 10)
        #expect(web.testPort == 8443)
        let api = try #require(config.settings.service("api")?.rollout)
        #expect(api.strategy == .canary)
        #expect(api.canaryPercent == 12.5)
        #expect(api.canaryBakeTimeMinutes == 7)
        #expect(api.alarms == ["api-5xx"])
    }

    @Test func rolloutMistakesNameTheirLine() {
        let found = errors("""
            app: shop
            region: eu-west-1
            services:
              jobs:
                kind: worker
                cpu: 256
                memory: 512
                deployment:
                  strategy: canary
                  canary: {percent: lots}
              web:
                cpu: 256
                memory: 512
                deployment:
                  strategy: red-black
            """)
        #expect(found == [
            "dev.yaml:10:25: services.jobs.deployment.canary.percent: expected a number, got \"lots\"",
            "dev.yaml:15:17: services.web.deployment.strategy: expected one of rolling, blue-green, canary, linear, got \"red-black\"",
            "dev.yaml:9:17: services.jobs.deployment.strategy: canary shifts traffic between two target groups, and a worker has none; a worker deploys rolling",
        ])
    }

    @Test func accessLogsDeletionProtectionAndLogKeysAreRead() throws {
        let config = try parse(minimalEnvironment + """
            accessLogs:
              bucket: shop-alb-logs
              prefix: dev
            loadBalancerDeletionProtection: true
            logs:
              kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
            readonlyRootFilesystem: true
            scratchPaths: [/tmp]
            user: 1000
            """)
        #expect(config.settings.service("api")?.readonlyRootFilesystem == true)
        #expect(config.settings.service("api")?.scratchPaths == ["/tmp"])
        #expect(config.settings.service("api")?.user == "1000")
        #expect(config.settings.accessLogs == .init(bucket: "shop-alb-logs", prefix: "dev"))
        #expect(config.settings.loadBalancerDeletionProtection == true)
        #expect(config.settings.service("api")?.logKMSKeyArn == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    }

    @Test func badBucketsPrefixesAndKeysNameTheirLine() {
        let found = errors(minimalEnvironment + """
            accessLogs:
              bucket: Shop_Logs
              prefix: /AWSLogs/
            logs:
              kmsKeyArn: alias/shop
            """)
        #expect(found == [
            "dev.yaml:7:11: accessLogs.bucket: expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, got \"Shop_Logs\"",
            "dev.yaml:8:11: accessLogs.prefix: expected a key prefix without a leading or trailing / and without AWSLogs, got \"/AWSLogs/\"",
            "dev.yaml:10:14: logs.kmsKeyArn: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got \"alias/shop\"",
        ])
        #expect(S3BucketName.isValid("shop.alb-logs"))
        #expect(!S3BucketName.isValid("shop..logs"))
        #expect(!S3BucketName.isValid("-shop"))
        #expect(!S3BucketName.isValid("ab"))
    }

    @Test func aKeyUnderACoreTagIsRefusedAtIt() {
        // `web` and `!!int web` are two keys to YAML (their tags differ) and would be one path
        // to the reader, which would read one and ignore the other: the tagged key is refused.
        let variables = """
            app: shop
            region: eu-west-1
            services:
              web: {cpu: 256, memory: 512, environment: {1FOO: a, !!int 1FOO: b}}
            """
        #expect(errors(variables) == ["dev.yaml:4:55: the key 1FOO carries the tag !!int; write keys as plain text"])
        let services = """
            app: shop
            region: eu-west-1
            services:
              web: {cpu: 256, memory: 512}
              !!int web: {cpu: 512, memory: 1024}
            """
        #expect(errors(services) == ["dev.yaml:5:3: the key web carries the tag !!int; write keys as plain text"])
    }
}

/// The reader takes each whole-number key's range from the rule that validation checks with.
@Suite struct EnvironmentConfigRuleTests {
    @Test func theReaderRefusesWhatTheRuleRefuses() {
        let base = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
        for rule in FargateService.Settings.Rules.healthCheck {
            let text = base + "    healthCheck:\n      \(rule.key): \(rule.range.lowerBound - 1)\n"
            do {
                _ = try EnvironmentConfig.parse(text, name: "dev", file: "dev.yaml")
                Issue.record("\(rule.path) \(rule.range.lowerBound - 1) was read")
            } catch {
                #expect(error.errors.first?.description.contains(
                    "services.web.\(rule.path): expected a whole number from \(rule.range.lowerBound) to \(rule.range.upperBound)") == true)
            }
        }
    }
}
