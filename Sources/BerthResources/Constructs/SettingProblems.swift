/// The problems found in a construct's settings, each at the key it is about, in the order found.
struct SettingProblems {
    private(set) var all: [(location: String, message: String)] = []

    mutating func add(_ location: String, _ message: String) {
        all.append((location, message))
    }

    /// Adds `message` at `location` unless `condition` holds.
    mutating func check(_ condition: Bool, _ location: String, _ message: @autoclosure () -> String) {
        if !condition { add(location, message()) }
    }
}
