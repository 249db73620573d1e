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
    @Test func aFanOutOfNestedSubsIsGivenUpOn() {
        var value: JSONValue = ""
        for _ in 0..<28 { value = ["Fn::Sub": ["${a}${a}${a}${a}", ["a": value]]] }
        #expect(evaluator.string(value) == nil)
        // Six levels (4^6 = 4,096 expansions) are well within the limit and come out whole.
        var small: JSONValue = "x"
        for _ in 0..<6 { small = ["Fn::Sub": ["${a}${a}${a}${a}", ["a": small]]] }
        #expect(evaluator.string(small) == String(repeating: "x", count: 4096))
    }
}
