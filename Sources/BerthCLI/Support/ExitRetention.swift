/// Keeps what a command built alive until the process exits, for a process that exits as soon
/// as the command returns (`Berth.main`): freeing it first would only cost time. A synth of the
/// sample app builds some 20,000 objects (parsed environment files, stacks, templates and their
/// rendered text); releasing them one by one, each an atomic reference-count update, took about
/// 7% of `berth synth --env dev`. The operating system takes the memory back at exit either way,
/// and the peak does not change. Tests run commands in-process with `Berth.run`, which keeps
/// nothing.
enum ExitRetention {
    private final class Box {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    /// Retains `value` for the rest of the process.
    static func keep(_ value: Any) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
