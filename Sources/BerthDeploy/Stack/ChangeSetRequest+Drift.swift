import BerthAWS

extension ChangeSetRequest {
    /// The request as a drift-aware change set that reverts drift (`DeploymentMode=REVERT_DRIFT`)
    /// when `reverting` says so; unchanged otherwise.
    func revertingDrift(_ reverting: Bool) -> ChangeSetRequest {
        var request = self
        if reverting { request.deploymentMode = "REVERT_DRIFT" }
        return request
    }
}
