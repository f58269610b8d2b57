import Foundation

/// The strategy patterns in `patterns/*.scm` with their `;; key: value` header
/// (/work/shared contract: the first non-`;;` line ends the header).
///
/// The planner's `PatternLibrary` is the shared reader; this minimal one moves there once it lands.
struct PatternFile: Sendable {
    var name: String
    var header: [(key: String, value: String)]
    var source: String

    func value(_ key: String) -> String? { header.first { $0.key == key }?.value }
    var title: String { value("title") ?? name }
    var purpose: String { value("purpose") ?? "" }
}

enum PatternFiles {
    static func all() -> [PatternFile] {
        guard let dir = ProjectFiles.directory("patterns"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".scm") }.sorted().compactMap { file in
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path) else { return nil }
            return parse(name: String(file.dropLast(4)), source: String(decoding: data, as: UTF8.self))
        }
    }

    static func named(_ name: String) -> PatternFile? {
        all().first { $0.name == name || $0.value("pattern") == name }
    }

    static func parse(name: String, source: String) -> PatternFile {
        var header: [(String, String)] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(";;") else { break }
            let body = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let colon = body.firstIndex(of: ":") else { continue }
            header.append((String(body[..<colon]).trimmingCharacters(in: .whitespaces),
                           String(body[body.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return PatternFile(name: name, header: header, source: source)
    }
}
