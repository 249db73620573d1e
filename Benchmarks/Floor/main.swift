import Foundation

// The floor `make bench` measures `berth synth --env dev` against: a Swift program, built as
// `make release` builds berth (Swift runtime and Foundation linked in, not position-independent),
// that starts Foundation and writes one small JSON file: `berth-floor --out DIR` makes DIR with
// FileManager and writes DIR/floor.json as berth writes its files (open, write, close; no fsync,
// which Foundation's Data.write would add and berth does not do).
let arguments = CommandLine.arguments
let directory = arguments.firstIndex(of: "--out").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? "out"
do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
} catch {
    FileHandle.standardError.write(Data("berth-floor: \(error)\n".utf8))
    exit(1)
}
let path = (directory as NSString).appendingPathComponent("floor.json")
let text = "{\n  \"floor\": true,\n  \"version\": 1\n}\n"
let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
guard descriptor >= 0, text.utf8.withContiguousStorageIfAvailable({ write(descriptor, $0.baseAddress, $0.count) }) == text.utf8.count,
    close(descriptor) == 0
else {
    FileHandle.standardError.write(Data("berth-floor: cannot write \(path)\n".utf8))
    exit(1)
}
print("wrote \(path)")
