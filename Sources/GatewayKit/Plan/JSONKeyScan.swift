import Foundation

/// JSON parsers keep the last of two equal keys without a word; a plan file that repeats a key (or hides one behind
/// escapes) was not written by gwsetup. One pass over the bytes, run after the decoder found valid JSON.
enum JSONKeyScan {
    /// The first repeated or escaped object key and its line, or nil when every object's keys are plain and distinct.
    static func firstSuspiciousKey(in data: Data) -> (key: String, line: Int, escaped: Bool)? {
        var objects: [Set<[UInt8]>?] = []  // nil for an array
        var expectKey = false
        var line = 1
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            switch byte {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "{"): objects.append([]); expectKey = true
            case UInt8(ascii: "["): objects.append(nil); expectKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = objects.popLast(); expectKey = false
            case UInt8(ascii: ","): expectKey = objects.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                var end = data.index(after: index)
                var escaped = false
                while end < data.endIndex, data[end] != UInt8(ascii: "\"") {
                    if data[end] == UInt8(ascii: "\\") { escaped = true; end = data.index(after: end) }
                    if end < data.endIndex { end = data.index(after: end) }
                }
                if expectKey, let keys = objects.last, var seen = keys {
                    let key = [UInt8](data[data.index(after: index)..<min(end, data.endIndex)])
                    let text = String(decoding: key, as: UTF8.self)
                    if escaped { return (text, line, true) }
                    if !seen.insert(key).inserted { return (text, line, false) }
                    objects[objects.count - 1] = seen
                    expectKey = false
                }
                index = end
            default: break
            }
            if index < data.endIndex { index = data.index(after: index) }
        }
        return nil
    }
}
