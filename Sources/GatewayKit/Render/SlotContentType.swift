import Mustache

/// A swift-mustache content type per file syntax and place, so Mustache itself escapes each `{{value}}`
/// for the spot it lands in; the renderer marks every tag with `{{%CONTENT_TYPE: …}}`.
struct SlotContentType: MustacheContentType {
    let rule: SlotRule

    func escapeText(_ text: String) -> String { rule.escape(text) }

    /// The pragma name for a syntax and place, e.g. `GWSETUP-sudoers-comment`.
    static func name(_ syntax: FileSyntax, _ place: TemplateSlot.Place) -> String {
        switch place {
        case .comment: "GWSETUP-\(syntax.rawValue)-comment"
        case .bare: "GWSETUP-\(syntax.rawValue)-bare"
        case .quoted(let quote): "GWSETUP-\(syntax.rawValue)-\(quote == "'" ? "squote" : "dquote")"
        }
    }

    /// Registers every syntax and place once per process, before the first template is parsed.
    static let registered: Bool = {
        for syntax in FileSyntax.allCases {
            for place in [TemplateSlot.Place.comment, .bare, .quoted("'"), .quoted("\"")] {
                MustacheContentTypes.register(SlotContentType(rule: syntax.rule(for: place)), named: name(syntax, place))
            }
        }
        return true
    }()
}
