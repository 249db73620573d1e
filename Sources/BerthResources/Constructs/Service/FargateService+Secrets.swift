import BerthModel

extension FargateService {
    /// Whether an environment variable's name says it holds a secret (`SecretNames.looksSecret`).
    public static func looksSecret(_ name: String) -> Bool { SecretNames.looksSecret(name) }

    /// Whether `text` holds a URL with a password (`postgres://user:pw@host/db`).
    public static func holdsURLPassword(_ text: String) -> Bool { SecretNames.holdsURLPassword(text) }
}
