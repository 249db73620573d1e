/// A Fargate task size: CPU units and memory in MiB, which must be one of the pairs Fargate offers.
public struct FargateSize: Sendable, Hashable, CustomStringConvertible {
    /// CPU units: 1024 are one vCPU.
    public var cpu: Int
    /// Memory in MiB.
    public var memory: Int

    public init(cpu: Int, memory: Int) {
        self.cpu = cpu
        self.memory = memory
    }

    /// For each CPU value, the memory values Fargate accepts with it (Linux tasks).
    public static let validMemory: [(cpu: Int, memory: [Int])] = [
        (256, [512, 1024, 2048]),
        (512, Array(stride(from: 1024, through: 4096, by: 1024))),
        (1024, Array(stride(from: 2048, through: 8192, by: 1024))),
        (2048, Array(stride(from: 4096, through: 16384, by: 1024))),
        (4096, Array(stride(from: 8192, through: 30720, by: 1024))),
        (8192, Array(stride(from: 16384, through: 61440, by: 4096))),
        (16384, Array(stride(from: 32768, through: 122_880, by: 8192))),
    ]

    /// The CPU values Fargate offers, from the smallest to the largest.
    static var cpuRange: ClosedRange<Int> { (validMemory.first?.cpu ?? 0)...(validMemory.last?.cpu ?? 0) }
    /// The memory values Fargate offers with any CPU value, from the smallest to the largest.
    static var memoryRange: ClosedRange<Int> {
        (validMemory.first?.memory.first ?? 0)...(validMemory.last?.memory.last ?? 0)
    }

    /// Why this is not a valid Fargate size, with what would be; `nil` when it is valid.
    public var problem: String? {
        guard let row = Self.validMemory.first(where: { $0.cpu == cpu }) else {
            let cpus = Self.validMemory.map { String($0.cpu) }.joined(separator: ", ")
            return "cpu \(cpu) is not a Fargate size; use one of \(cpus)"
        }
        guard row.memory.contains(memory) else {
            let choices: String
            if row.memory.count <= 4 {
                choices = row.memory.map(String.init).joined(separator: ", ")
            } else {
                let step = row.memory[1] - row.memory[0]
                choices = "\(row.memory[0]) to \(row.memory[row.memory.count - 1]) in steps of \(step)"
            }
            return "cpu \(cpu) takes memory \(choices) MiB, not \(memory)"
        }
        return nil
    }

    public var description: String { "\(cpu) CPU / \(memory) MiB" }
}
