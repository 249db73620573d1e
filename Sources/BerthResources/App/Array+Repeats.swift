extension Array {
    /// Each element whose `key` an earlier element already has, with the first element that had
    /// it, in order: what two of an app's stacks or environments must not share.
    func repeats(by key: (Element) -> String) -> [(first: Element, repeat: Element)] {
        var first: [String: Element] = [:]
        var found: [(first: Element, repeat: Element)] = []
        for element in self {
            if let earlier = first[key(element)] {
                found.append((earlier, element))
            } else {
                first[key(element)] = element
            }
        }
        return found
    }
}
