import ArgumentParser
import Foundation
import Planner

/// `rlm-plan patterns list | show NAME`: the strategy library the planner draws from.
struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "List the strategy patterns, or show one.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("patterns"), help: ArgumentHelp("The pattern directory (default: $RLM_PLAN_HOME/patterns, else found upwards from the executable or the current directory).", valueName: "DIR"))
        var directory: String?

        @Flag(name: .customLong("json"), help: "Print JSON.")
        var json = false

        func library() throws -> PatternLibrary {
            do { return try PatternLibrary.load(directory: directory.map { URL(fileURLWithPath: $0) }) } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every pattern: name, outputs, quality prior, purpose.")
        @OptionGroup var location: Location

        func run() throws {
            let library = try location.library()
            if location.json {
                struct Entry: Encodable { let name, title, purpose, outputs: String; let quality: Double; let combinators, kinds: [String] }
                struct Listing: Encodable { let patterns: [Entry]; let problems: [String] }
                let listing = Listing(patterns: library.list().map {
                    Entry(name: $0.name, title: $0.title, purpose: $0.purpose, outputs: $0.outputs.rawValue, quality: $0.quality,
                          combinators: $0.combinators, kinds: $0.kinds)
                }, problems: library.problems)
                try PlannerCall.write(try encode(listing) + "\n")
                return
            }
            let width = library.list().map(\.name.count).max() ?? 0
            var out = ""
            for p in library.list() {
                out += p.name.padding(toLength: width, withPad: " ", startingAt: 0)
                out += "  " + p.outputs.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
                out += String(format: "  %.2f  ", p.quality) + p.purpose + "\n"
            }
            for problem in library.problems { out += "left out: \(problem)\n" }
            try PlannerCall.write(out)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one pattern's file (header and code).")
        @Argument(help: ArgumentHelp("The pattern's name (its file name without .scm).", valueName: "NAME"))
        var name: String
        @OptionGroup var location: Location

        func run() throws {
            let library = try location.library()
            guard let pattern = library.get(name) else {
                throw ValidationError("No pattern \(name); known: \(library.list().map(\.name).joined(separator: ", "))")
            }
            try PlannerCall.write(location.json ? try encode(pattern) + "\n" : pattern.source + (pattern.source.hasSuffix("\n") ? "" : "\n"))
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

private func encode<T: Encodable>(_ value: T) throws -> String { try PatternsCommand.encode(value) }
