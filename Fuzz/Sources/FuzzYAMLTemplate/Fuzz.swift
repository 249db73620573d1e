import BerthCLI
import FuzzSupport

/// Any bytes, read as a YAML template with short-form tags, give a value or an error.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let value = try? JSONValue.parseYAML(text(data, size), file: "fuzz.yaml") { _ = value.templateShapeProblem }
    return 0
}

/// The executable's entry (SwiftPM calls it `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_yaml_template_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
