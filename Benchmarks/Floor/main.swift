import Foundation

// The floor `make bench` measures `berth synth --env dev` against: a Swift program, built as
// `make release` builds berth (Swift runtime and Foundation linked in, not position-independent),
// that starts Foundation and writes one small JSON file (`berth-floor --out DIR` writes
// DIR/floor.json). Nothing more: no fsync (berth does none), no encoder.
let arguments = CommandLine.arguments
let directory = arguments.firstIndex(of: "--out").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? "out"
do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = (directory as NSString).appendingPathComponent("floor.json")
    let text = "{\n  \"floor\": true,\n  \"version\": 1\n}\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    print("wrote \(path)")
} catch {
    FileHandle.standardError.write(Data("berth-floor: \(error)\n".utf8))
    exit(1)
}
