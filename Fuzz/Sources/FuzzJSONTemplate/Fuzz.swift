import BerthCLI
import FuzzSupport

/// Any bytes, read as a JSON template, give a value or an error: never a trap or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let value = try? JSONValue.parseJSON(text(data, size), file: "fuzz.json") { _ = value.templateShapeProblem }
    return 0
}

/// The executable's entry (SwiftPM calls it `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_json_template_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
