// An app's executable imports BerthCLI alone: the constructs and the template model come with it.
@_exported import BerthModel
@_exported import CloudFormation
@_exported import Resources
