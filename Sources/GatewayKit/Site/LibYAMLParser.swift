import CYaml

/// libyaml itself over a site's text, for the checks that need its tokens or events (with their places and
/// without alias expansion) rather than Yams' composed tree.
enum LibYAMLParser {
    /// Runs `body` with a parser reading `text`; nil for an empty text or when libyaml cannot start.
    static func with<T>(_ text: String, _ body: (inout yaml_parser_t) -> T?) -> T? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return body(&parser)
        }
    }
}
