import BerthModel
import Testing

@testable import BerthResources

/// Numbers in settings are ASCII digits only, as AWS reads them: no sign, no other script's digits.
@Suite struct DecimalTextTests {
    @Test func onlyASCIIDigitsAreANumber() {
        #expect(DecimalText.value("0016") == 16 && DecimalText.value("123456789012345678") == 123_456_789_012_345_678)
        for text in ["", "+16", "-1", " 1", "1 ", "١٢", "½", "1e3", "0x10", "1234567890123456789"] {
            #expect(DecimalText.value(text) == nil, "\(text)")
        }
        #expect(DecimalText.isDigits("123456789012") && !DecimalText.isDigits("12345678901٢") && !DecimalText.isDigits(""))
    }

    /// Where Swift's `Int(_:)` had read a sign: a CIDR block's prefix and octets, a rate's count,
    /// a health check's codes.
    @Test func aSignedNumberIsNoCIDRBlockRateOrHealthCheckCode() {
        #expect(IPv4Block("10.0.0.0/16")?.prefixLength == 16)
        #expect(IPv4Block("10.0.0.0/+16") == nil && IPv4Block("10.+0.0.0/16") == nil && IPv4Block("10.0.0.0/-0") == nil)
        #expect(FargateService.Job.isScheduleExpression("rate(5 minutes)"))
        #expect(!FargateService.Job.isScheduleExpression("rate(+5 minutes)"))
        #expect(FargateService.isValidMatcher("200-299") && !FargateService.isValidMatcher("+200-299") && !FargateService.isValidMatcher("200,+204"))
    }
}
