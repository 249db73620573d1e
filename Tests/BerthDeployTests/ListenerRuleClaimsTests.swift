import Testing

@testable import BerthDeploy

/// What a deploy does with the priorities its service stacks' rules take on the shared listener,
/// given the rules the listener holds and whose they are.
struct ListenerRuleClaimsTests {
    private func claims(_ pairs: [(String, Int)]) -> ListenerRuleClaims {
        ListenerRuleClaims(claims: pairs.map { .init(stack: $0.0, priority: $0.1) })
    }

    @Test func aRuleThatKeepsItsNumberOrTakesAFreeOneWaitsForNothing() {
        let judged = claims([("shop-api-dev", 48_261), ("shop-new-dev", 47_001)])
            .judge(held: [48_261: "rule/api", 50_000: "rule/web"], owners: ["rule/api": "shop-api-dev"], deploying: ["shop-api-dev", "shop-new-dev"])
        #expect(judged == .init())
    }

    /// A new service whose name sorts first takes the number of an existing rule, which moves to
    /// the next: the new stack deploys after the one that frees the number, and a chain follows.
    @Test func aNumberAnotherStackOfTheDeployFreesIsTakenAfterIt() {
        let judged = claims([("shop-s1-dev", 48_261), ("shop-s30-dev", 48_262), ("shop-s9-dev", 48_263)])
            .judge(
                held: [48_261: "rule/s30", 48_262: "rule/s9"], owners: ["rule/s30": "shop-s30-dev", "rule/s9": "shop-s9-dev"],
                deploying: ["shop-s1-dev", "shop-s30-dev", "shop-s9-dev"])
        #expect(judged.conflicts.isEmpty)
        #expect(judged.after == ["shop-s1-dev": ["shop-s30-dev"], "shop-s30-dev": ["shop-s9-dev"]])
        // A service that leaves the shared load balancer (a load balancer of its own, a worker)
        // takes its rule away with its deploy: the rule that takes its number deploys after it.
        let leaving = claims([("shop-a-dev", 48_261)])
            .judge(held: [48_261: "rule/b"], owners: ["rule/b": "shop-b-dev"], deploying: ["shop-a-dev", "shop-b-dev"])
        #expect(leaving == .init(after: ["shop-a-dev": ["shop-b-dev"]]))
        // Left out of the deploy (--service a), the same rule refuses it.
        let leftOut = claims([("shop-a-dev", 48_261)]).judge(held: [48_261: "rule/b"], owners: ["rule/b": "shop-b-dev"], deploying: ["shop-a-dev"])
        #expect(leftOut.conflicts == [.held(stack: "shop-a-dev", priority: 48_261, holder: "shop-b-dev", rule: "rule/b")])
    }

    /// A number held by a rule the deploy does not move refuses it: a stack outside the deploy
    /// (left out, or no longer the app's), or a rule of no stack; so does an exchange.
    @Test func aNumberNoStackOfTheDeployFreesRefusesIt() {
        let held = claims([("shop-s30-dev", 48_261), ("shop-api-dev", 47_424), ("shop-web-dev", 50_000)])
            .judge(
                held: [48_261: "rule/s1", 47_424: "rule/hand", 50_000: "rule/web"],
                owners: ["rule/s1": "shop-s1-dev", "rule/web": "shop-web-dev"], deploying: ["shop-s30-dev", "shop-api-dev", "shop-web-dev"])
        #expect(held.conflicts == [
            .held(stack: "shop-s30-dev", priority: 48_261, holder: "shop-s1-dev", rule: "rule/s1"),
            .held(stack: "shop-api-dev", priority: 47_424, holder: nil, rule: "rule/hand"),
        ])
        let exchange = claims([("shop-b-dev", 11), ("shop-a-dev", 12), ("shop-c-dev", 13)])
            .judge(
                held: [11: "rule/a", 12: "rule/b", 13: "rule/x"], owners: ["rule/a": "shop-a-dev", "rule/b": "shop-b-dev", "rule/x": "shop-c-dev"],
                deploying: ["shop-a-dev", "shop-b-dev", "shop-c-dev"])
        #expect(exchange.conflicts == [.exchange(stacks: ["shop-a-dev", "shop-b-dev"])])
        let ring = claims([("c", 1), ("a", 2), ("b", 3)])
            .judge(held: [1: "ra", 2: "rb", 3: "rc"], owners: ["ra": "a", "rb": "b", "rc": "c"], deploying: ["a", "b", "c"])
        #expect(ring.conflicts == [.exchange(stacks: ["a", "b", "c"])])
    }

    @Test func eachConflictSaysWhatToDo() {
        let error = ListenerPriorityError(
            conflicts: [
                .held(stack: "shop-s30-dev", priority: 48_261, holder: "shop-s1-dev", rule: "rule/s1"),
                .held(stack: "shop-api-dev", priority: 48_261, holder: "shop-web-dev", rule: "rule/web"),
                .held(stack: "shop-api-dev", priority: 47_424, holder: nil, rule: "rule/hand"),
                .exchange(stacks: ["shop-a-dev", "shop-b-dev"]),
                .order(stack: "shop-api-dev", holder: "shop-jobs-dev"),
            ], appStacks: ["shop-s30-dev", "shop-api-dev", "shop-web-dev", "shop-a-dev", "shop-b-dev", "shop-jobs-dev"])
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[5].contains("shop-api-dev's listener rule takes the priority shop-jobs-dev's rule gives up, and shop-jobs-dev deploys after shop-api-dev"))
        #expect(lines[1].contains("which the rule of shop-s1-dev holds: that stack is no longer one of the app's"))
        #expect(lines[2].contains("this deploy leaves shop-web-dev as it is: deploy both together"))
        #expect(lines[3].contains("which a rule of no stack of the environment holds (rule/hand)"))
        #expect(lines[4].contains("shop-a-dev, shop-b-dev would each take the next one's priority (an exchange)"))
    }
}
