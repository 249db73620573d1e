import Testing

@testable import BerthDeploy

@Suite struct ChangeSetRunTests {
    @Test func changeSetVerdicts() {
        #expect(ChangeSetRun.verdict("CREATE_PENDING", reason: nil) == .wait)
        #expect(ChangeSetRun.verdict("CREATE_IN_PROGRESS", reason: nil) == .wait)
        #expect(ChangeSetRun.verdict("CREATE_COMPLETE", reason: nil) == .ready)
        #expect(
            ChangeSetRun.verdict(
                "FAILED", reason: "The submitted information didn't contain changes. Submit different information to create a change set.")
                == .noChanges)
        #expect(ChangeSetRun.verdict("FAILED", reason: "No updates are to be performed.") == .noChanges)
        #expect(ChangeSetRun.verdict("FAILED", reason: "Template format error: bad") == .fail(reason: "Template format error: bad"))
        #expect(ChangeSetRun.verdict("FAILED", reason: nil) == .fail(reason: "the change set failed without a reason"))
        #expect(ChangeSetRun.verdict("DELETE_COMPLETE", reason: nil) == .fail(reason: "unexpected change set status DELETE_COMPLETE"))
    }

    @Test func namesAreUniqueAndValid() {
        let names = (0..<50).map { _ in ChangeSetRun.uniqueName(prefix: "berth-diff") }
        #expect(Set(names).count == names.count)
        // CloudFormation: [a-zA-Z][-a-zA-Z0-9]*, at most 128 characters.
        for name in names {
            #expect(name.count <= 128)
            #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        }
    }
}
