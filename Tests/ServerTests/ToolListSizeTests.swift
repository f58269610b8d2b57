import Foundation
import MCP
@testable import Server
import Sandbox
import Simulator
import Testing

/// The tool list is sent to the client's model on every turn: it must stay small.
@Suite("MCP tool list size")
struct ToolListSizeTests {
    @Test("the whole tool list (names, descriptions, schemas, annotations) stays under 3,500 o200k tokens")
    func toolListIsSmall() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(ListTools.Result(tools: ToolCatalog.definitions)), as: UTF8.self)
        let tokens = try BPETokenizer.shared(.o200kBase).count(json)
        let descriptions = try ToolCatalog.tools.reduce(0) { $0 + (try BPETokenizer.shared(.o200kBase).count($1.description)) }
        print("tool list: \(ToolCatalog.tools.count) tools, \(json.utf8.count) bytes, \(tokens) o200k tokens (descriptions alone \(descriptions))")
        #expect(tokens < 3_500)
        #expect(ToolCatalog.tools.allSatisfy { $0.description.count <= 140 }, "descriptions stay one short sentence or two")
    }
}
