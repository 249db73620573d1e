import BerthCLI
import FuzzSupport

/// Any bytes, read as an environment file and built into stacks, give stacks or errors.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let config = try? EnvironmentConfig.parse(text(data, size), name: "dev", file: "dev.yaml") {
        let app = AppBlueprint(name: config.app, environments: [config.settings]).build()
        for stack in app.stacks { _ = stack.template.templateValue.jsonText() }
        _ = app.validate()
    }
    return 0
}

/// The executable's entry (SwiftPM calls it `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_environment_file_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
