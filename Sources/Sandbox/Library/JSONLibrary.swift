/// Racket's json library: `string->jsexpr`, `jsexpr->string`, `read-json`, `write-json`,
/// `jsexpr?` (reference §4.8, §4.9).
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
    lib.fnKw("write-json", 1, 2, keywords: ["null", "encode"]) { args, kw in
        let port = try IOPorts.output(args.optional(1), rt, "write-json")
        let text = try JSONValue.convert(args[0], into: JSONTextBuilder(), who: "write-json",
                                         sortKeys: true, null: kw[Symbol.intern("null")])
        try rt.emit(text, to: port)
        return .void
    }
    lib.fnKw("read-json", 0, 1, keywords: ["null"]) { args, kw in
        let port = try IOPorts.input(args.optional(0), "read-json")
        var builder = SchemeJSONBuilder()
        if let null = kw[Symbol.intern("null")] { builder.nullValue = null }
        return try readJSON(from: port, builder: builder)
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

/// Reads one JSON value from a string port, leaving what follows it unread; eof when only
/// whitespace is left.
private func readJSON(from port: InputPort, builder: SchemeJSONBuilder) throws -> Value {
    var rest = String.UnicodeScalarView()
    rest.append(contentsOf: port.scalars[port.position...])
    let base = String(String.UnicodeScalarView(port.scalars[..<port.position])).utf8.count
    let text = String(rest)
    var parser = JSONParser(text, builder: builder, who: "read-json", base: base)
    if parser.isBlank {
        port.position = port.scalars.count
        return .object(EofObject.shared)
    }
    do {
        let (node, consumed) = try parser.parsePrefix()
        // Advance by the code points in the consumed bytes (every byte but UTF-8 continuations).
        port.position += text.utf8.prefix(consumed).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return node
    } catch let e as JSONError {
        throw SchemeError.json(e)
    }
}

extension SchemeError {
    /// A JSON syntax error as Racket reports it (`exn:fail:read`), its message already in
    /// Racket's `string::<pos>: string->jsexpr: …` shape.
    static func json(_ e: JSONError) -> SchemeError {
        SchemeError(.read, e.message)
    }
}
