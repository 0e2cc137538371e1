/// Boots one VM, hands it to `body`, and kills it by PID when `body` returns or throws.
func withVM<T>(_ spec: VMSpec, _ body: (TestVM) async throws -> T) async throws -> T {
    try await withVMs([spec]) { vms in try await body(vms[0]) }
}

/// Boots several VMs concurrently (in `specs` order in the array) within the shared `VMBudget`, and kills them all
/// however `body` ends. Images are built or found before the budget is asked, so no guest slot waits on a build.
func withVMs<T>(_ specs: [VMSpec], _ body: ([TestVM]) async throws -> T) async throws -> T {
    precondition(Set(specs.map(\.name)).count == specs.count, "VM names must differ: they are ssh aliases")
    // Built side by side: on a machine without the cache, the router image need not wait for the gateway's.
    let ready = try await withThrowingTaskGroup(of: VMImage.self, returning: [VMImage.Kind: VMImage].self) { group in
        for kind in Set(specs.map(\.kind)) { group.addTask { try await VMImage.ensure(kind) } }
        var images: [VMImage.Kind: VMImage] = [:]
        for try await image in group { images[image.kind] = image }
        return images
    }
    return try await VMBudget.withGuests(specs.count, for: specs.map(\.name).joined(separator: "+")) {
        try await bootAll(specs, images: ready, body)
    }
}

/// Boots `specs` at once and runs `body`, stopping every qemu that started whether boot, body or neither failed.
private func bootAll<T>(_ specs: [VMSpec], images: [VMImage.Kind: VMImage], _ body: ([TestVM]) async throws -> T) async throws -> T {
    let booted = try await withThrowingTaskGroup(of: TestVM.self, returning: [TestVM].self) { group in
        for spec in specs { group.addTask { try await TestVM.boot(spec, image: images[spec.kind]!) } }
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
