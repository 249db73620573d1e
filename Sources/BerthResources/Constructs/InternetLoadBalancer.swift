import BerthTemplate

/// An internet-facing Application Load Balancer: its security group (HTTP, and HTTPS when there
/// is a certificate, from anywhere), the balancer, and its listeners. With HTTPS, the HTTP
/// listener redirects to the HTTPS one, which takes `defaultAction`; without, the HTTP listener
/// takes it. Used for an environment's shared load balancer and a service's own.
struct InternetLoadBalancer {
    let securityGroup: ResourceReference
    let loadBalancer: ResourceReference
    /// The listeners; the last one serves requests.
    let listeners: [ResourceReference]
    /// The listener for test traffic (blue/green), when asked for.
    var testListener: ResourceReference?

    static func add(
        vpcID: Value<String>, subnets: ListValue<Value<String>>, environment: EnvironmentSettings,
        defaultAction: ElasticLoadBalancingV2.Listener.Action, egress: [EC2.SecurityGroup.Egress], testPort: Int? = nil,
        dependsOn: [String] = [], to stack: inout Stack
    ) -> InternetLoadBalancer {
        let https = environment.https
        var ingress: [EC2.SecurityGroup.Ingress] = [
            .init(cidrIp: "0.0.0.0/0", description: "HTTP from the internet", fromPort: 80, ipProtocol: "tcp", toPort: 80)
        ]
        if https != nil {
            ingress.append(
                .init(cidrIp: "0.0.0.0/0", description: "HTTPS from the internet", fromPort: 443, ipProtocol: "tcp", toPort: 443))
        }
        if let testPort {
            ingress.append(
                .init(
                    cidrIp: "0.0.0.0/0", description: "test traffic to a new revision before it takes production traffic",
                    fromPort: .literal(testPort), ipProtocol: "tcp", toPort: .literal(testPort)))
        }
        let securityGroup = stack.template.add(
            "LoadBalancerSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} load balancer"), securityGroupEgress: .items(egress),
                securityGroupIngress: .items(ingress), vpcId: vpcID),
            metadata: SuppressedControl.metadata(
                checkov: [
                    .init(
                        checkID: "CKV_AWS_260",
                        reason: "An internet-facing load balancer: anyone may send requests to port 80"
                            + (https == nil ? "; set https.certificateArn to serve HTTPS" : ", which redirects them to HTTPS"))
                ],
                controls: stack.suppress(
                    testPort.map { port in
                        [
                            .init(
                                control: .securityGroupPorts,
                                reason: "Blue/green test traffic comes from anywhere to port \(port) before the new revision takes production traffic",
                                key: "deployment.testPort", fix: "remove deployment.testPort: blue/green then sends no test traffic before the switch")
                        ]
                    } ?? [], under: environment.controls)))
        let loadBalancer = stack.template.add(
            "LoadBalancer",
            ElasticLoadBalancingV2.LoadBalancer(
                loadBalancerAttributes: .items(attributes(environment)),
                scheme: "internet-facing",
                securityGroups: [securityGroup.getAtt("GroupId")],
                subnets: subnets,
                type: "application"),
            dependsOn: dependsOn,
            metadata: SuppressedControl.metadata(
                checkov: environment.accessLogs == nil
                    ? [.init(checkID: "CKV_AWS_91", reason: "No access logs: set accessLogs.bucket in the environment file to keep them")] : [],
                controls: stack.suppress(loadBalancerControls(environment), under: environment.controls)))
        let test = testPort.map { port in
            stack.template.add(
                "TestListener",
                ElasticLoadBalancingV2.Listener(
                    defaultActions: [defaultAction], loadBalancerArn: loadBalancer.ref, port: .literal(port), protocol: "HTTP"),
                metadata: plainHTTP(
                    controls: stack.suppress(
                        [
                            .init(
                                control: .httpsRedirect, reason: "The blue/green test listener serves plain HTTP to test the new revision",
                                key: "deployment.testPort", fix: "remove deployment.testPort: blue/green then sends no test traffic before the switch")
                        ], under: environment.controls)))
        }
        guard let https else {
            let http = stack.template.add(
                "HttpListener",
                ElasticLoadBalancingV2.Listener(
                    defaultActions: [defaultAction], loadBalancerArn: loadBalancer.ref, port: 80, protocol: "HTTP"),
                metadata: plainHTTP(
                    controls: stack.suppress(
                        [
                            .init(
                                control: .httpsRedirect, reason: "No certificate is configured, so HTTP serves requests instead of redirecting",
                                key: "https.certificateArn", fix: "set https.certificateArn, so that HTTP redirects to HTTPS")
                        ], under: environment.controls)))
            return InternetLoadBalancer(securityGroup: securityGroup, loadBalancer: loadBalancer, listeners: [http], testListener: test)
        }
        let redirect = ElasticLoadBalancingV2.Listener.Action(
            redirectConfig: .init(port: "443", protocol: "HTTPS", statusCode: "HTTP_301"), type: "redirect")
        let http = stack.template.add(
            "HttpListener",
            ElasticLoadBalancingV2.Listener(
                defaultActions: [redirect], loadBalancerArn: loadBalancer.ref, port: 80, protocol: "HTTP"))
        let secure = stack.template.add(
            "HttpsListener",
            ElasticLoadBalancingV2.Listener(
                certificates: [.init(certificateArn: .literal(https.certificateArn))],
                defaultActions: [defaultAction], loadBalancerArn: loadBalancer.ref, port: 443, protocol: "HTTPS",
                sslPolicy: .literal(https.sslPolicy)))
        return InternetLoadBalancer(securityGroup: securityGroup, loadBalancer: loadBalancer, listeners: [http, secure], testListener: test)
    }

    /// A listener that serves plain HTTP on purpose.
    private static func plainHTTP(controls: [SuppressedControl]) -> JSONValue? {
        SuppressedControl.metadata(
            checkov: [
                .init(
                    checkID: "CKV_AWS_2",
                    reason: "Plain HTTP: no certificate is configured (https.certificateArn), or this is the blue/green test listener"),
                .init(checkID: "CKV_AWS_103", reason: "Plain HTTP has no TLS policy; the HTTPS listener, when configured, uses TLS 1.2 or later"),
            ],
            controls: controls)
    }

    /// The controls the load balancer does not meet, with the key that makes it meet them.
    private static func loadBalancerControls(_ environment: EnvironmentSettings) -> [SuppressedControl] {
        var controls: [SuppressedControl] = []
        if !environment.protectsLoadBalancers {
            controls.append(
                .init(
                    control: .loadBalancerDeletionProtection,
                    reason: "An unprotected environment's load balancer can be deleted with its stack",
                    key: "loadBalancerDeletionProtection", fix: "set loadBalancerDeletionProtection: true, or remove it (on under controls: control-tower)"))
        }
        if environment.accessLogs == nil {
            controls.append(
                .init(control: .loadBalancerAccessLogs, reason: "No bucket for access logs is configured", key: "accessLogs.bucket", fix: "set accessLogs.bucket to the S3 bucket the load balancer writes its access logs to"))
        }
        return controls
    }

    /// Invalid headers dropped; access logs and deletion protection as the environment asks.
    private static func attributes(_ environment: EnvironmentSettings) -> [ElasticLoadBalancingV2.LoadBalancer.LoadBalancerAttribute] {
        var attributes: [ElasticLoadBalancingV2.LoadBalancer.LoadBalancerAttribute] = [
            .init(key: "routing.http.drop_invalid_header_fields.enabled", value: "true")
        ]
        if let logs = environment.accessLogs {
            attributes.append(.init(key: "access_logs.s3.enabled", value: "true"))
            attributes.append(.init(key: "access_logs.s3.bucket", value: .literal(logs.bucket)))
            if let prefix = logs.prefix { attributes.append(.init(key: "access_logs.s3.prefix", value: .literal(prefix))) }
        }
        if environment.protectsLoadBalancers {
            attributes.append(.init(key: "deletion_protection.enabled", value: "true"))
        }
        return attributes
    }
}
