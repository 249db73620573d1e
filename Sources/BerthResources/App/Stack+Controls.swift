extension Stack {
    /// The controls to record on a resource that does not meet them. Under
    /// `controls: control-tower`, none: each is reported instead as a problem at its key,
    /// naming the control and the key that satisfies it.
    mutating func suppress(_ controls: [SuppressedControl], under profile: ControlProfile?) -> [SuppressedControl] {
        guard profile == .controlTower else { return controls }
        for control in controls {
            report(
                control.key,
                "\(control.control.id) refuses this under controls: \(ControlProfile.controlTower.rawValue) "
                    + "(\(control.control.summary)): \(control.reason); \(control.fix)")
        }
        return []
    }
}
