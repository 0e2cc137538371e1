/// Boots one VM, hands it to `body`, and kills it by PID when `body` returns or throws.
func withVM<T>(_ spec: VMSpec, _ body: (TestVM) async throws -> T) async throws -> T {
    try await withVMs([spec]) { vms in try await body(vms[0]) }
}

/// Boots several VMs concurrently (in `specs` order in the array), and kills them all however `body` ends.
func withVMs<T>(_ specs: [VMSpec], _ body: ([TestVM]) async throws -> T) async throws -> T {
    precondition(Set(specs.map(\.name)).count == specs.count, "VM names must differ: they are ssh aliases")
    let booted = try await withThrowingTaskGroup(of: TestVM.self, returning: [TestVM].self) { group in
        for spec in specs { group.addTask { try await TestVM.boot(spec) } }
        var running: [TestVM] = []
        do {
            for try await vm in group { running.append(vm) }
        } catch {
            group.cancelAll()
            while let result = await group.nextResult() {
                if case .success(let vm) = result { running.append(vm) }
            }
            running.forEach { $0.stop() }
            throw error
        }
        return running
    }
    defer { booted.forEach { $0.stop() } }
    let ordered = specs.map { spec in booted.first { $0.name == spec.name }! }
    return try await body(ordered)
}
