import Foundation

extension TestHTTPServer.Reply {
    /// An answer of an AWS JSON 1.1 service (ECR, ECS, Logs): `object` as JSON, with the
    /// content type those services send.
    public static func awsJSON(_ object: Any, status: Int = 200) -> Self {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return .respond(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
    }
}
