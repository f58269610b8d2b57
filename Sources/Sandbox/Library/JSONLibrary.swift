/// Racket's json library: `string->jsexpr`, `jsexpr->string`, `jsexpr?` (reference §4.8, §4.9).
///
/// Objects read as immutable `hasheq` tables with symbol keys, arrays as lists, `null` as the
/// symbol `null` (or the `#:null` value). Output sorts object keys, as Racket's writer does.
func registerJSONLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fnKw("string->jsexpr", 1, 1, keywords: ["null"]) { args, kw in
        let text = try args[0].asString("string->jsexpr").string
        var builder = SchemeJSONBuilder()
        if let null = kw[Symbol.intern("null")] { builder.nullValue = null }
        var parser = JSONParser(text, builder: builder)
        if parser.isBlank { return .object(EofObject.shared) }
        do {
            return try parser.parseDocument()
        } catch let e as JSONError {
            throw SchemeError.json(e)
        }
    }
    lib.fnKw("jsexpr->string", 1, 1, keywords: ["null", "encode"]) { args, kw in
        let text = try JSONValue.convert(args[0], into: JSONTextBuilder(), who: "jsexpr->string",
                                         sortKeys: true, null: kw[Symbol.intern("null")])
        try rt.reserve(bytes: text.utf8.count * 4)
        return .string(MString(text))
    }
    lib.fnKw("jsexpr?", 1, 1, keywords: ["null"]) { args, kw in
        do {
            _ = try JSONValue.convert(args[0], into: JSONValueBuilder(), who: "jsexpr?", sortKeys: false,
                                      null: kw[Symbol.intern("null")])
            return .true
        } catch {
            return .false
        }
    }
}

extension SchemeError {
    /// A JSON syntax error as Racket reports it (`exn:fail:read`), its message already in
    /// Racket's `string::<pos>: string->jsexpr: …` shape.
    static func json(_ e: JSONError) -> SchemeError {
        SchemeError(.read, e.message)
    }
}
