import Foundation
import Sandbox
import Simulator
import TestSupport
import Testing

/// The guides the MCP server serves (issue 10 item 9): every ```scheme block in them runs under
/// the simulator, and the pattern catalogue agrees with the pattern headers.
@Suite("guide examples")
struct DocExamplesTests {
    static let guides = ["getting-started", "combinators", "codegen-reference", "patterns"]

    static func text(_ guide: String) throws -> String {
        try String(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("docs/\(guide).md"), encoding: .utf8)
    }

    /// The ```scheme blocks of a Markdown text with the line each starts on. Other fences
    /// (```scheme-fragment for deliberately partial snippets, ```sh, ```json) are skipped.
    static func schemeBlocks(_ markdown: String) -> [(line: Int, code: String)] {
        var blocks: [(Int, String)] = []
        var current: [Substring]?
        var start = 0
        for (i, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var body = current {
                if line.trimmingCharacters(in: .whitespaces) == "```" {
                    blocks.append((start, body.joined(separator: "\n")))
                    current = nil
                } else {
                    body.append(line)
                    current = body
                }
            } else if line.trimmingCharacters(in: .whitespaces) == "```scheme" {
                current = []
                start = i + 1
            }
        }
        return blocks
    }

    static let examples: [String] = guides.flatMap { guide in
        ((try? text(guide)).map(schemeBlocks) ?? []).map { "\(guide).md:\($0.line)" }
    }

    @Test("every guide exists and has runnable examples", arguments: guides)
    func guidesHaveExamples(_ guide: String) throws {
        let blocks = Self.schemeBlocks(try Self.text(guide))
        #expect(guide == "patterns" || blocks.count >= 3, "\(guide).md has \(blocks.count) scheme examples")
    }

    @Test("the example simulates without error", arguments: examples)
    func exampleSimulates(_ label: String) throws {
        let parts = label.split(separator: ":")
        let guide = String(parts[0].dropLast(3))
        let line = Int(parts[1]) ?? 0
        let block = try #require(Self.schemeBlocks(try Self.text(guide)).first { $0.line == line })
        var options = SimulationOptions()
        options.context = SyntheticData.items(5, chars: 400, seed: 2)
        let report = Simulation.simulate(program: block.code, sourceName: label, options: options)
        let run = try #require(report.runs.first)
        #expect(run.status != .error, "\(label): \(run.error ?? "")")
    }

    @Test("the extractor finds scheme blocks and skips fragments")
    func extractor() {
        let md = "text\n```scheme\n(finish 1)\n```\n```scheme-fragment\n(partial\n```\n```scheme\n(a)\n(b)\n```\n"
        let blocks = Self.schemeBlocks(md)
        #expect(blocks.map(\.code) == ["(finish 1)", "(a)\n(b)"])
        #expect(blocks.map(\.line) == [2, 8])
    }

    @Test("the catalogue has a section per pattern with its header's title, outputs and params", arguments: PatternLibraryTests.names)
    func catalogueMatchesHeaders(_ name: String) throws {
        let catalogue = try Self.text("patterns")
        let header = try PatternHeader(try PatternLibraryTests.source(name))
        let sections = catalogue.components(separatedBy: "\n## ")
        let section = try #require(sections.first { $0.hasPrefix("`\(name)`") }, "no section for \(name)")
        for key in ["title", "purpose", "outputs", "fits", "avoid"] {
            #expect(section.contains(header.fields[key] ?? "<missing>"), "\(name): the catalogue's \(key) differs from the header")
        }
        for param in header.params {
            #expect(section.contains("`\(param.name)`") && section.contains(param.defaultValue), "\(name): param \(param.name)")
        }
    }
}
