/// What `new` has that `old` has not (added) and the reverse (removed), counting repeats;
/// added ones in `new`'s order first, then removed ones in `old`'s order.
func setChanges<Element: Hashable>(old: [Element], new: [Element]) -> [(ChangeAction, Element)] {
    var remaining: [Element: Int] = [:]
    for element in old { remaining[element, default: 0] += 1 }
    var added: [(ChangeAction, Element)] = []
    for element in new {
        if let count = remaining[element], count > 0 {
            remaining[element] = count - 1
        } else {
            added.append((.add, element))
        }
    }
    var removed: [(ChangeAction, Element)] = []
    for element in old {
        if let count = remaining[element], count > 0 {
            remaining[element] = count - 1
            removed.append((.remove, element))
        }
    }
    return added + removed
}
