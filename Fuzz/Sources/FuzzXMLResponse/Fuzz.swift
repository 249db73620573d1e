import BerthAWS
import FuzzSupport

/// Any bytes, read as an AWS XML answer, give a tree, nothing, or an error.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let root = try? XMLNode.parse(Array(UnsafeBufferPointer(start: data, count: size))) {
        _ = root["DescribeStacksResult", "Stacks"]
        _ = root.string("NextToken")
    }
    return 0
}

/// The executable's entry (SwiftPM calls it `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_xml_response_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
