// An app's executable imports BerthCLI alone: the constructs, the shared model, the
// environment-file reader and the template model come with it.
@_exported import BerthConfig
@_exported import BerthModel
@_exported import BerthResources
@_exported import BerthTemplate
