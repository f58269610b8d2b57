import ArgumentParser
import Foundation
import Sandbox

/// `rlm-plan eval`: runs one program in a fresh sandbox and prints what it printed and finished with.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a Scheme program in a fresh sandbox.",
        usage: "rlm-plan eval [<limits>] [--json] (<FILE> | - | -e <CODE>)",
        discussion: """
            Prints what the program displayed, then the value given to `finish` on a line of its \
            own. Errors go to standard error as `source:line:column: message`, where the source \
            is FILE, `string` for -e and `stdin` for `-`.

            \(ExitCodes.discussion(success: "the program ran (status ok or finished)",
                                   failure: "Scheme error: read, syntax, runtime or resource limit",
                                   usage: "bad option value, no program, or FILE unreadable"))
            """
    )

    @Argument(help: ArgumentHelp("The program to run; `-` reads standard input.", valueName: "FILE"),
              completion: .file(extensions: ["scm"]))
    var file: String?

    @Option(name: [.customShort("e"), .customLong("expression")],
            help: ArgumentHelp("Run CODE instead of a file.", valueName: "CODE"))
    var expression: String?

    @Flag(help: "Print one JSON object: {status, result, stdout}, or {status, message, position} on error.")
    var json = false

    @OptionGroup(title: "Models")
    var modelOptions: ModelOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        switch (file, expression) {
        case (nil, nil):
            throw ValidationError("Give a FILE, `-` for standard input, or -e CODE.")
        case (_?, _?):
            throw ValidationError("Give either FILE or -e CODE, not both.")
        case (let path?, nil) where path != "-":
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("No such file: \(path)")
            }
            guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("Cannot read \(path)")
            }
        default:
            break
        }
    }

    func run() throws {
        StandardStreams.ignoreBrokenPipeSignal()
        let (code, sourceName) = try source()
        let session = SandboxSession(limits: limitOptions.limits, seed: limitOptions.seed, storePath: modelOptions.store,
                                     gateway: try modelOptions.makeGateway())
        let result = session.eval(code, sourceName: sourceName)
        do {
            if json {
                try StandardStreams.writeOutput(Self.jsonReport(result).serialized() + "\n")
            } else {
                try StandardStreams.writeOutput(result.stdout)
                if result.status == .finished { try StandardStreams.writeOutput(result.result + "\n") }
                if result.status == .error {
                    StandardStreams.writeError((result.error?.messageWithPosition ?? "evaluation failed") + "\n")
                }
            }
        } catch {
            throw ExitCodes.failure
        }
        let status = ExitCodes.status(of: result)
        if status != ExitCodes.success { throw status }
    }

    /// The program text and the source name its error positions use.
    private func source() throws -> (code: String, name: String) {
        if let expression { return (expression, "string") }
        guard let file else { throw ValidationError("Give a FILE, `-` for standard input, or -e CODE.") }
        if file == "-" { return (StandardStreams.readAllInput(), "stdin") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("Cannot read \(file)")
        }
        return (String(decoding: data, as: UTF8.self), file)
    }

    /// The `--json` report: the protocol's eval reply (reference §4.5), with the error's position.
    static func jsonReport(_ result: EvalResult) -> JSONValue {
        switch result.status {
        case .ok, .finished:
            return .object([
                ("status", .string(result.status.rawValue)),
                ("result", .string(result.result)),
                ("stdout", .string(result.stdout)),
            ])
        case .error:
            let position: JSONValue = result.error?.position.map {
                .object([("source", .string($0.source ?? "string")), ("line", .int($0.line)), ("column", .int($0.column))])
            } ?? .null
            // Unlike the sandbox-server reply (reference §4.1 step 4), what was printed before the
            // error is kept: it is often what explains the error.
            return .object([
                ("status", .string("error")),
                ("message", .string(result.error?.message ?? "evaluation failed")),
                ("position", position),
                ("stdout", .string(result.stdout)),
            ])
        }
    }
}
