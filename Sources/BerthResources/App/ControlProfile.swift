/// A set of deploy-time controls an environment's templates must meet (`controls:` in the
/// environment file). Under one, synth refuses, at the key's file and line, anything a control
/// would refuse, and the settings Berth chooses by itself follow the controls.
public enum ControlProfile: String, Sendable, Hashable, CaseIterable {
    /// AWS Control Tower's proactive controls: the CloudFormation hooks that refuse, at deploy
    /// time, a resource that breaks them (`controls: control-tower`).
    case controlTower = "control-tower"
}
