/// Checkpoints (reference §2.7, §11): `checkpoint`, its alias `checkpoint!`, and `restore`,
/// kept in the workspace store (`Store`) rather than in files named after the key (§10.19).
func registerStoreLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime

    let checkpoint: (Value, Value) throws -> Value = { key, value in
        let name = try key.asString("checkpoint").string
        rt.log("checkpoint", name)
        guard !name.isEmpty else { throw SchemeError(.contract, "checkpoint: key required", irritants: [key]) }
        let json = try checkpointJSON(value)
        try withStore(rt, "checkpoint") { try $0.put(key: name, valueJSON: json) }
        return value
    }
    lib.fn2("checkpoint", checkpoint)
    lib.fn2("checkpoint!", checkpoint)

    lib.fn1("restore") { key in
        let name = try key.asString("restore").string
        rt.log("restore", name)
        // An empty key names no checkpoint: absent, like the original host's reply (§2.7).
        guard !name.isEmpty else { return .false }
        guard let text = try withStore(rt, "restore", { try $0.get(key: name) }) else { return .false }
        do {
            return try JSONValue.parse(text).toScheme()
        } catch {
            throw SchemeError(.io, "restore: the checkpoint \(Printer.print(key, limit: 200)) is not valid JSON: \(error)")
        }
    }
}

/// The JSON text for a checkpointed value; syntax objects get a message saying how to unwrap them.
private func checkpointJSON(_ value: Value) throws -> String {
    let syntaxMessage = "checkpoint: cannot store a syntax object; unwrap it with syntax-e first"
    if case .object(let o) = value, o is SyntaxObject {
        throw SchemeError(.contract, syntaxMessage, irritants: [value])
    }
    do {
        return try JSONValue.fromScheme(value, who: "checkpoint").serialized()
    } catch let error as SchemeError {
        if case .object(let o)? = error.irritants.first, o is SyntaxObject {
            throw SchemeError(.contract, syntaxMessage + " (found one inside the value)", irritants: error.irritants)
        }
        throw error
    }
}

/// Runs `body` against the session's store, turning store failures into `who: message` I/O errors.
private func withStore<T>(_ rt: Runtime, _ who: String, _ body: (Store) throws -> T) throws -> T {
    guard let store = rt.store else { throw SchemeError(.io, "\(who): no store is configured for this sandbox") }
    do {
        return try body(store)
    } catch let error as StoreError {
        throw SchemeError(.io, "\(who): \(error.message)")
    }
}
