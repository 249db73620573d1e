/// A part of an AWS answer whose content Berth does not read, only that it is there (a
/// container's `ulimits`, `linuxParameters`): it decodes from any JSON value.
public struct JSONObjectPresence: Sendable, Hashable, Decodable {
    public init(from decoder: any Decoder) throws {}
}
