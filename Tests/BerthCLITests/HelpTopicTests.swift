import Testing

/// Help for a command that does not exist is an input error, not the root's help and 0.
@Suite struct HelpTopicTests {
    @Test func helpForAnUnknownCommandIsAnInputError() async {
        for arguments in [["help", "nosuchcommand"], ["nosuch", "--help"], ["--help", "nosuch"], ["nosuch", "-h"], ["help", "synth", "nosuch"]] {
            let result = await runBerth(arguments)
            #expect(result.status == 2, "\(arguments): \(result.err)")
            #expect(result.err.contains("error: no help topic \"nosuch"), "\(arguments): \(result.err)")
            #expect(result.out.isEmpty, "\(arguments)")
        }
    }

    @Test func helpForACommandWithWordsItDoesNotTakeIsAnInputError() async {
        for (arguments, word) in [(["synth", "nosuch", "--help"], "Unexpected argument 'nosuch'"), (["diff", "x", "y", "-h"], "2 unexpected arguments: 'x', 'y'")] {
            let result = await runBerth(arguments)
            #expect(result.status == 2, "\(arguments): \(result.err)")
            #expect(result.err.contains("error: no help topic: \(word)"), "\(arguments): \(result.err)")
            #expect(result.out.isEmpty, "\(arguments)")
        }
        // Options and their values are not topics; mistakes in them are the command's business.
        for arguments in [["synth", "--config", "x", "--help"], ["deploy", "--help"], ["deploy", "--region", "bad", "-h"]] {
            let result = await runBerth(arguments)
            #expect(result.status == 0, "\(arguments): \(result.err)")
        }
    }

    @Test func helpForACommandThatExistsStillWorks() async {
        for arguments in [["help"], ["--help"], ["help", "synth"], ["synth", "--help"], ["help", "help"], ["diff", "-h"]] {
            let result = await runBerth(arguments)
            #expect(result.status == 0, "\(arguments): \(result.err)")
            #expect(result.out.contains("USAGE"), "\(arguments): \(result.out.prefix(200))")
        }
    }
}
