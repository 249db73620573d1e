import Testing

@testable import BerthTemplate

@Suite struct IntrinsicTests {
    private func json(_ intrinsic: Intrinsic) -> String { intrinsic.templateValue.jsonText(pretty: false) }

    @Test func referencesRenderInLongForm() {
        #expect(json(.ref("Vpc")) == #"{"Ref":"Vpc"}"#)
        #expect(json(.ref(.region)) == #"{"Ref":"AWS::Region"}"#)
        #expect(json(.ref(.accountId)) == #"{"Ref":"AWS::AccountId"}"#)
        #expect(json(.ref(.stackName)) == #"{"Ref":"AWS::StackName"}"#)
        #expect(json(.ref(.urlSuffix)) == #"{"Ref":"AWS::URLSuffix"}"#)
        #expect(json(.getAtt("LoadBalancer", "DNSName")) == #"{"Fn::GetAtt":["LoadBalancer","DNSName"]}"#)
        #expect(json(.importValue("shared-vpc")) == #"{"Fn::ImportValue":"shared-vpc"}"#)
        #expect(json(.condition("IsProd")) == #"{"Condition":"IsProd"}"#)
    }

    @Test func subWithAndWithoutVariables() {
        #expect(json(.sub("${AWS::StackName}-api")) == #"{"Fn::Sub":"${AWS::StackName}-api"}"#)
        let withVariables = Intrinsic.sub("${Name}-x", variables: [.init("Name", Intrinsic.ref("P").templateValue)])
        #expect(json(withVariables) == #"{"Fn::Sub":["${Name}-x",{"Name":{"Ref":"P"}}]}"#)
    }

    @Test func listFunctions() {
        #expect(json(.join(",", ["a", Intrinsic.ref("B")])) == #"{"Fn::Join":[",",["a",{"Ref":"B"}]]}"#)
        #expect(json(.select(1, Intrinsic.availabilityZones.templateValue)) == #"{"Fn::Select":[1,{"Fn::GetAZs":""}]}"#)
        #expect(json(.split(",", "a,b")) == #"{"Fn::Split":[",","a,b"]}"#)
        #expect(json(.getAZs(Intrinsic.ref(.region).templateValue)) == #"{"Fn::GetAZs":{"Ref":"AWS::Region"}}"#)
        #expect(json(.base64("hello")) == #"{"Fn::Base64":"hello"}"#)
        #expect(json(.findInMap("Sizes", "dev", "cpu")) == #"{"Fn::FindInMap":["Sizes","dev","cpu"]}"#)
    }

    @Test func conditionFunctions() {
        let isProd = Intrinsic.equals(Intrinsic.ref("Env").templateValue, "prod")
        #expect(json(isProd) == #"{"Fn::Equals":[{"Ref":"Env"},"prod"]}"#)
        #expect(json(.not(isProd.templateValue)) == #"{"Fn::Not":[{"Fn::Equals":[{"Ref":"Env"},"prod"]}]}"#)
        #expect(json(.and(["a", "b"])) == #"{"Fn::And":["a","b"]}"#)
        #expect(json(.or(["a", "b"])) == #"{"Fn::Or":["a","b"]}"#)
        #expect(json(.if("IsProd", 3, Intrinsic.ref(.noValue))) == #"{"Fn::If":["IsProd",3,{"Ref":"AWS::NoValue"}]}"#)
    }

    @Test func typedValuesRenderLiteralsAndIntrinsics() {
        let literal: Value<String> = "web"
        let number: Value<Int> = 8080
        let flag: Value<Bool> = true
        let ratio: Value<Double> = 0.25
        #expect(literal.templateValue == "web")
        #expect(number.templateValue == 8080)
        #expect(flag.templateValue == true)
        #expect(ratio.templateValue == .double(0.25))
        #expect(Value<String>.getAtt("A", "Arn").templateValue == ["Fn::GetAtt": ["A", "Arn"]])
        let list: ListValue<Value<String>> = .intrinsic(.split(",", "a,b"))
        #expect(list.templateValue == ["Fn::Split": [",", "a,b"]])
    }
}
