import Testing

@testable import BerthTemplate

/// What the evaluator works out before a deploy (the image a diff shows), and where it stops.
@Suite struct TemplateEvaluatorTests {
    private let evaluator = TemplateEvaluator(parameters: ["Tag": "dev-1", "Repo": "shop/web"], conditions: nil)

    @Test func subJoinAndSelectComeToTheirStrings() {
        let image: JSONValue = ["Fn::Sub": ["${Registry}/${Repo}:${Tag}", ["Registry": ["Fn::Join": [".", ["1", "dkr", "ecr"]]]]]]
        #expect(evaluator.string(image) == "1.dkr.ecr/shop/web:dev-1")
        #expect(evaluator.string(["Fn::Select": ["1", ["a", ["Ref": "Tag"]]]]) == "dev-1")
        #expect(evaluator.string(["Ref": "Unknown"]) == nil)
    }

    /// A variable used four times, nested 28 levels deep, would take 4^28 steps to expand; the
    /// evaluation gives up (unknown) after `maximumSteps` instead, whatever the nesting.
    @Test(.timeLimit(.minutes(1))) func aFanOutOfNestedSubsIsGivenUpOn() {
        var value: JSONValue = ""
        for _ in 0..<28 { value = ["Fn::Sub": ["${a}${a}${a}${a}", ["a": value]]] }
        #expect(evaluator.string(value) == nil)
        // Six levels (4^6 = 4,096 expansions) are well within the limit and come out whole.
        var small: JSONValue = "x"
        for _ in 0..<6 { small = ["Fn::Sub": ["${a}${a}${a}${a}", ["a": small]]] }
        #expect(evaluator.string(small) == String(repeating: "x", count: 4096))
    }

    /// A long parameter used many times would make megabytes from a small template (4 KB,
    /// CloudFormation's longest parameter value, 20,000 times: 82 MB); past 64 KiB the
    /// evaluation gives up. A variable's value counts as it is substituted.
    @Test(.timeLimit(.minutes(1))) func aStringPastItsLengthLimitIsGivenUpOn() {
        let long = TemplateEvaluator(parameters: ["X": String(repeating: "x", count: 4096)], conditions: nil)
        #expect(long.string(["Fn::Sub": .string(String(repeating: "${X}", count: 20_000))]) == nil)
        #expect(long.string(["Fn::Sub": .string(String(repeating: "${X}", count: 16))])?.utf8.count == 65_536)
        #expect(long.string(["Fn::Join": ["", .array(Array(repeating: ["Ref": "X"], count: 17))]]) == nil)
        let variables = JSONValue.object([.init("v", .string(String(repeating: "y", count: 4096)))])
        #expect(evaluator.string(["Fn::Sub": [.string(String(repeating: "${v}", count: 17)), variables]]) == nil)
    }
}
