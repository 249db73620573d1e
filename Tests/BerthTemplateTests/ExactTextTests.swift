import BerthTemplate
import Testing

/// Texts compared by their code points, as JSON, YAML and CloudFormation compare them.
@Suite struct ExactTextTests {
    @Test func textsAreTheSameOnlyWhenTheirCodePointsAre() {
        #expect(ExactText("caf\u{E9}") == ExactText("caf\u{E9}"))
        #expect(ExactText("caf\u{E9}") != ExactText("cafe\u{301}") && "caf\u{E9}" == "cafe\u{301}")
        #expect(ExactText("K") != ExactText("\u{212A}"))
        #expect(Set([ExactText("caf\u{E9}"), ExactText("cafe\u{301}")]).count == 2)
        #expect(ExactText.same(nil, nil) && !ExactText.same("a", nil) && !ExactText.same("caf\u{E9}", "cafe\u{301}"))
    }

    /// A list of texts hashes apart from the same bytes split otherwise.
    @Test func listsOfTextsHashByTheirBoundaries() {
        #expect([ExactText("ab"), ExactText("c")].hashValue != [ExactText("a"), ExactText("bc")].hashValue)
        #expect([ExactText("ab"), ExactText("c")] != [ExactText("a"), ExactText("bc")])
    }
}
