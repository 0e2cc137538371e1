/// A unified diff of two texts, so a plan shows exactly which lines of a config would change.
public enum LineDiff {
    public static func unified(old: String, new: String, path: String, context: Int = 3) -> String {
        let a = old.isEmpty ? [] : old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.isEmpty ? [] : new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if a.isEmpty {
            guard !b.isEmpty else { return "" }
            return "--- /dev/null\n+++ \(path)\n@@ -0,0 +1,\(b.count) @@\n" + b.map { "+" + $0 }.joined(separator: "\n")
        }
        let operations = editScript(a, b)
        var hunks: [String] = []
        var index = 0
        while index < operations.count {
            guard operations[index].kind != " " else { index += 1; continue }
            let start = max(0, index - context)
            var end = index
            var quiet = 0
            // Walk until more than twice the context of unchanged lines separates us from the next change.
            while end < operations.count {
                quiet = operations[end].kind == " " ? quiet + 1 : 0
                end += 1
                if quiet > context * 2 { break }
            }
            end -= max(0, quiet - context)
            let slice = operations[start..<end]
            let oldStart = (slice.first?.oldLine ?? 0) + 1
            let newStart = (slice.first?.newLine ?? 0) + 1
            let oldCount = slice.filter { $0.kind != "+" }.count
            let newCount = slice.filter { $0.kind != "-" }.count
            hunks.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n" + slice.map { "\($0.kind)\($0.text)" }.joined(separator: "\n"))
            index = end
        }
        guard !hunks.isEmpty else { return "" }
        return "--- \(path)\n+++ \(path)\n" + hunks.joined(separator: "\n")
    }

    struct Operation {
        let kind: Character
        let text: String
        let oldLine: Int
        let newLine: Int
    }

    /// The standard library's difference (Myers), walked in file order: removals before insertions at each place.
    static func editScript(_ a: [String], _ b: [String]) -> [Operation] {
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var operations: [Operation] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if removed.contains(i), i < a.count {
                operations.append(Operation(kind: "-", text: a[i], oldLine: i, newLine: j)); i += 1
            } else if inserted.contains(j), j < b.count {
                operations.append(Operation(kind: "+", text: b[j], oldLine: i, newLine: j)); j += 1
            } else {
                operations.append(Operation(kind: " ", text: a[i], oldLine: i, newLine: j)); i += 1; j += 1
            }
        }
        return operations
    }
}
