import CYaml

/// Finds an alias (`*name`) inside a mapping key before Yams composes the file: Yams hashes every key to
/// find duplicates, and the hash walks the alias's expansion, which grows tenfold per nested anchor (the
/// fuzzer's hang: 10^8 nodes from 521 bytes). A site's keys are plain words, so such a key is refused instead.
enum YAMLAliasKeyCheck {
    /// Line and column (from 1) of the first alias inside a mapping key, or nil (also for a syntax error, which Yams reports).
    static func firstAliasInKey(_ text: String) -> (line: Int, column: Int)? {
        LibYAMLParser.with(text) { parser -> (line: Int, column: Int)? in
            /// One open sequence or mapping: whether it lies inside a key, and for a mapping whether its next node is a key.
            struct Container { var isMapping: Bool; var nextIsKey: Bool; var insideKey: Bool }
            var open: [Container] = []
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                let type = event.type
                let mark = event.start_mark
                yaml_event_delete(&event)
                switch type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    _ = open.popLast()
                case YAML_ALIAS_EVENT, YAML_SCALAR_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    var insideKey = open.last?.insideKey ?? false
                    if let parent = open.last, parent.isMapping {
                        insideKey = insideKey || parent.nextIsKey
                        open[open.count - 1].nextIsKey.toggle()
                    }
                    if type == YAML_ALIAS_EVENT, insideKey { return (Int(mark.line) + 1, Int(mark.column) + 1) }
                    if type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT {
                        open.append(Container(isMapping: type == YAML_MAPPING_START_EVENT, nextIsKey: true, insideKey: insideKey))
                    }
                default:
                    break
                }
            }
            return nil
        }
    }
}
