import Testing

@testable import BerthResources

@Suite struct FargateSizeTests {
    @Test(arguments: [(256, 512), (256, 2048), (512, 4096), (1024, 8192), (2048, 16384), (4096, 30720), (8192, 61440), (16384, 122_880)])
    func validPairsAreAccepted(cpu: Int, memory: Int) {
        #expect(FargateSize(cpu: cpu, memory: memory).problem == nil)
    }

    @Test func memoryTooLargeForTheCPUIsRejected() {
        #expect(FargateSize(cpu: 256, memory: 4096).problem == "cpu 256 takes memory 512, 1024, 2048 MiB, not 4096")
        #expect(FargateSize(cpu: 1024, memory: 1024).problem == "cpu 1024 takes memory 2048 to 8192 in steps of 1024 MiB, not 1024")
        #expect(FargateSize(cpu: 8192, memory: 18432).problem == "cpu 8192 takes memory 16384 to 61440 in steps of 4096 MiB, not 18432")
    }

    @Test func unknownCPUIsRejected() {
        #expect(FargateSize(cpu: 300, memory: 512).problem == "cpu 300 is not a Fargate size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384")
    }
}
