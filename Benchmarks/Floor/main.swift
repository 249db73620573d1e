import Foundation

// The floor `make bench` measures `berth synth --env dev` against: a Swift program, built as
// `make release` builds berth (Swift runtime and Foundation linked in, not position-independent),
// that starts Foundation and writes one small JSON file: `berth-floor --out DIR` makes DIR with
// FileManager and writes DIR/floor.json as berth writes its files (open, write, close; no fsync,
// which Foundation's Data.write would add and berth does not do).
//
// With `--read DIR --files N --bytes B` it does the file work synth does instead, and nothing
// else: reads every `.yaml` file of DIR, writes N files of B bytes in all, each under a hidden
// staged name renamed into place, and lists DIR as synth's clean-up of abandoned files does. The
// bench prints berth against it too: how far berth is from the I/O its output needs.
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("berth-floor: \(message)\n".utf8))
    exit(1)
}
/// Writes `bytes` to `path` (through `staged`, renamed into place, when given).
func write(_ bytes: [UInt8], to path: String, stagedAs staged: String? = nil) {
    let descriptor = open(staged ?? path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0, bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count, close(descriptor) == 0,
        staged.map({ rename($0, path) == 0 }) ?? true
    else { fail("cannot write \(path)") }
}

let directory = option("--out") ?? "out"
do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
} catch {
    fail("\(error)")
}
if let files = option("--files").flatMap(Int.init), let bytes = option("--bytes").flatMap(Int.init), files > 0, bytes >= 0 {
    var read = 0
    if let input = option("--read") {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            read += FileManager.default.contents(atPath: (input as NSString).appendingPathComponent(name))?.count ?? 0
        }
    }
    let each = [UInt8](repeating: UInt8(ascii: " "), count: bytes / files)
    for index in 0..<files {
        let path = (directory as NSString).appendingPathComponent("floor-\(index).json")
        write(each, to: path, stagedAs: (directory as NSString).appendingPathComponent(".floor-\(index).json.berth-floor.tmp"))
    }
    if let stream = opendir(directory) { closedir(stream) }
    print("read \(read) bytes, wrote \(files) files")
} else {
    let path = (directory as NSString).appendingPathComponent("floor.json")
    write(Array("{\n  \"floor\": true,\n  \"version\": 1\n}\n".utf8), to: path)
    print("wrote \(path)")
}
