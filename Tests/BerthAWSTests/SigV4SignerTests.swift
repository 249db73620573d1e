import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// One signature computed by botocore (scripts/sigv4-vectors.py).
private struct Vector: Decodable {
    struct Expected: Decodable {
        let canonicalRequest: String
        let stringToSign: String
        let authorization: String
        let amzDate: String
    }
    let name: String
    let method: String
    let url: String
    let query: [[String]]
    let headers: [[String]]
    let body: String
    let region: String
    let service: String
    let token: String?
    let accessKeyId: String
    let secretAccessKey: String
    let epochSeconds: Double
    let expected: Expected
}

private let vectors: [Vector] = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sigv4-vectors.json")
    guard let data = FileManager.default.contents(atPath: path.path),
        let decoded = try? JSONDecoder().decode([Vector].self, from: data)
    else { return [] }
    return decoded
}()

@Suite struct SigV4SignerTests {
    init() throws { try Crypto.load() }

    @Test func theVectorsAreThere() {
        #expect(vectors.count == 6)
    }

    @Test(arguments: vectors.map(\.name))
    func signaturesMatchBotocore(name: String) throws {
        let vector = try #require(vectors.first { $0.name == name })
        let endpoint = try #require(Endpoint(url: vector.url))
        let path = vector.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).count > 3
            ? "/" + vector.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)[3] : "/"
        var request = HTTPRequest(
            method: vector.method, endpoint: endpoint, path: path,
            query: vector.query.map { HTTPRequest.QueryItem($0[0], $0[1]) },
            headers: vector.headers.map { HTTPRequest.Header($0[0], $0[1]) },
            body: Array(vector.body.utf8))
        let signer = SigV4Signer(
            credentials: Credentials(
                accessKeyID: vector.accessKeyId, secretAccessKey: vector.secretAccessKey, sessionToken: vector.token,
                source: "test"),
            region: vector.region, service: vector.service)
        let signature = signer.sign(&request, date: Date(timeIntervalSince1970: vector.epochSeconds))
        #expect(signature.canonicalRequest == vector.expected.canonicalRequest)
        #expect(signature.stringToSign == vector.expected.stringToSign)
        #expect(signature.authorization == vector.expected.authorization)
        #expect(request.header("Authorization") == vector.expected.authorization)
        #expect(request.header("X-Amz-Date") == vector.expected.amzDate)
        #expect(request.header("X-Amz-Security-Token") == vector.token)
    }

    @Test func digestsMatchKnownValues() {
        #expect(Crypto.hex(Crypto.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Crypto.hex(Crypto.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // RFC 4231 test case 2.
        let mac = Crypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(Crypto.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func resigningReplacesTheOldSignature() throws {
        var request = HTTPRequest(method: "POST", endpoint: Endpoint(host: "sts.eu-west-1.amazonaws.com"))
        let signer = SigV4Signer(
            credentials: Credentials(accessKeyID: "AKID", secretAccessKey: "secret", source: "test"), region: "eu-west-1",
            service: "sts")
        signer.sign(&request, date: Date(timeIntervalSince1970: 0))
        signer.sign(&request, date: Date(timeIntervalSince1970: 60))
        #expect(request.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(request.header("X-Amz-Date") == "19700101T000100Z")
    }

    @Test func endpointsParse() throws {
        let local = try #require(Endpoint(url: "http://127.0.0.1:5123/"))
        #expect(local.hostHeader == "127.0.0.1:5123")
        #expect(local.isLoopback)
        // Loopback is 127.0.0.0/8 written as an address, localhost or ::1; a name that starts
        // with 127. is any host (and would get container credentials' token over plain http).
        for loopback in ["http://127.1.2.3", "http://localhost:8080", "http://[::1]:9000"] {
            #expect(try #require(Endpoint(url: loopback)).isLoopback, "\(loopback)")
        }
        for other in ["http://127.evil.invalid/c", "http://127.0.0.1.evil.invalid", "http://127.0.0.256", "http://127.0.0", "http://1127.0.0.1"] {
            #expect(Endpoint(url: other)?.isLoopback != true, "\(other)")
        }
        let aws = try #require(Endpoint(url: "https://CloudFormation.eu-west-1.amazonaws.com:443"))
        #expect(aws.hostHeader == "cloudformation.eu-west-1.amazonaws.com")
        #expect(Endpoint(url: "ftp://x") == nil)
        #expect(Endpoint(url: "http://host:99999") == nil)
        #expect(Endpoint(url: "http://[::1]:8080")?.hostHeader == "[::1]:8080")
    }
}
