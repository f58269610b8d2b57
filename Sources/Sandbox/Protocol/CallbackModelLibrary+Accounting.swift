/// Callback mode's host round trips besides model calls (reference §2.6–§2.8, §4.8, §11):
/// usage, rate limits, checkpoints, heartbeats.
extension CallbackModels {
    func registerAccounting(_ lib: LibraryBuilder) {
        let runtime = self.runtime, channel = self.channel

        // The host's objects themselves, as `#hasheq` tables; not logged (§4.4).
        lib.fn0("tokens-used") { try channel.exchange("tokens-used").object.toScheme() }
        lib.fn0("rate-limits") { try channel.exchange("rate-limits").object.toScheme() }
        // §11: the current `(token-budget)`, already charged in place; no I/O.
        lib.fn0("tokens-remaining") { runtime.parameterValue(runtime.models.tokenBudget) }
        // Any one line is the reply (§4.8); not logged.
        lib.fn0("heartbeat") {
            _ = try channel.exchangeLine("heartbeat")
            return .void
        }

        let checkpoint: (Value, Value) throws -> Value = { key, value in
            let name = try key.asString("checkpoint").string
            runtime.log("checkpoint", name)
            let json = try Self.checkpointJSON(value)
            let reply = try channel.exchange("checkpoint", [("key", .string(name)), ("value", json)])
            guard reply.text("status") == "ok" else {
                let message = reply.text("message")
                throw SchemeError(.io, "checkpoint: \(message.isEmpty ? "checkpoint failed" : message)")
            }
            return value
        }
        lib.fn2("checkpoint", checkpoint)
        lib.fn2("checkpoint!", checkpoint)

        // A null or absent `value` is #f (§11's recommendation, not the original's symbol `null`).
        lib.fn1("restore") { key in
            let name = try key.asString("restore").string
            runtime.log("restore", name)
            let reply = try channel.exchange("restore", [("key", .string(name))])
            guard let value = reply["value"], value != .null else { return .false }
            return value.toScheme()
        }
    }

    /// The JSON of a checkpointed value; a syntax object gets a message saying how to unwrap it.
    private static func checkpointJSON(_ value: Value) throws -> JSONValue {
        let syntaxMessage = "checkpoint: cannot store a syntax object; unwrap it with syntax-e first"
        if case .object(let o) = value, o is SyntaxObject {
            throw SchemeError(.contract, syntaxMessage, irritants: [value])
        }
        do {
            return try JSONValue.fromScheme(value, who: "checkpoint")
        } catch let error as SchemeError {
            if case .object(let o)? = error.irritants.first, o is SyntaxObject {
                throw SchemeError(.contract, syntaxMessage + " (found one inside the value)", irritants: error.irritants)
            }
            throw error
        }
    }
}
