import Foundation
import Testing

@testable import BerthAWS

/// What Berth reads of a certificate before its chain is checked, from certificates the
/// `openssl` command makes.
@Suite struct CertificateFactsTests {
    /// A self-signed certificate (PEM) with `count` URI subject alternative names.
    private func certificate(names count: Int) throws -> [UInt8] {
        let directory = NSTemporaryDirectory() + "berth-san-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = "[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=x\n[ext]\nsubjectAltName=@alt\n[alt]\n"
        for index in 0..<count { config += "URI.\(index)=https://names.example/\(index)\n" }
        try config.write(toFile: directory + "/req.cnf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", directory + "/key.pem",
            "-out", directory + "/cert.pem", "-config", directory + "/req.cnf", "-days", "1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/cert.pem")))
    }

    /// Each name is read with a parse of the whole certificate, before its chain is checked: a
    /// pushed signature whose certificate holds tens of thousands of names took minutes. Only the
    /// first names are read (a Fulcio certificate has one).
    @Test func onlyTheFirstSubjectNamesAreRead() throws {
        try Crypto.load()
        let facts = try #require(Crypto.certificateFacts(try certificate(names: 300)))
        #expect(facts.subjects.count == Crypto.maximumSubjectNames)
        #expect(facts.subjects.first == "https://names.example/0")
        let few = try #require(Crypto.certificateFacts(try certificate(names: 2)))
        #expect(few.subjects == ["https://names.example/0", "https://names.example/1"])
    }
}
