import Foundation

/// Turns an `#:image` argument into what the API accepts (reference §7.3, narrowed by issue 12):
/// a `data:` or http(s) URL as is, base64 image data (64 or more base64 characters) as a PNG
/// data URL, and anything else as a path to an image file, read only when it is allowed.
///
/// Allowed files lie under the working folder (the current directory) or a folder named in
/// `RLM_IMAGE_DIRS` (colon-separated), and no component below that folder is hidden (so never
/// `.env`, `.git/…`, `.ssh/…`); `/proc`, `/sys` and `/dev` are never read; a symlink counts by
/// where it leads. A refused path gets one message whatever the reason, and it is checked before
/// the file is looked at, so the error never tells whether a refused path exists.
enum ImageInput {
    static let maxBytes = 20 * 1024 * 1024
    /// Below this, text is never taken for base64 image data (the smallest PNG is longer).
    static let minimumBase64Length = 64

    static func dataURL(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                        workingFolder: String = FileManager.default.currentDirectoryPath) throws -> String {
        if text.hasPrefix("data:") || text.hasPrefix("http://") || text.hasPrefix("https://") { return text }
        if isBase64Payload(text) {
            guard text.utf8.count <= maxBytes * 4 / 3 + 4 else {
                throw SchemeError(.user, "llm-query: base64 image too large (limit 20 MB)")
            }
            return "data:image/png;base64,\(text)"
        }
        let roots = allowedRoots(environment: environment, workingFolder: workingFolder)
        let refusal = SchemeError(.user, "llm-query: #:image \(text.prefix(200)) is not an allowed image file (only "
            + "non-hidden files under the working folder or a folder in RLM_IMAGE_DIRS are read)")
        guard text.utf8.count < 4096, !text.contains("\0") else { throw refusal }
        let lexical = absolute(text, in: workingFolder)
        guard isAllowed(lexical, roots: roots) else { throw refusal }
        guard let real = realPath(lexical) else {
            throw SchemeError(.io, "llm-query: cannot read image file \(text)")
        }
        guard isAllowed(real, roots: roots.map { realPath($0) ?? $0 }) else { throw refusal }
        guard let data = FileManager.default.contents(atPath: real) else {
            throw SchemeError(.io, "llm-query: cannot read image file \(text)")
        }
        guard data.count <= maxBytes else {
            throw SchemeError(.user, "llm-query: image file too large (\(data.count) bytes, limit 20 MB): \(text)")
        }
        return "data:\(mime(for: real));base64,\(data.base64EncodedString())"
    }

    /// Long text made only of base64 characters (either alphabet, padding, line breaks).
    static func isBase64Payload(_ text: String) -> Bool {
        guard text.utf8.count >= minimumBase64Length else { return false }
        return text.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == 0x2B || b == 0x2F || b == 0x3D || b == 0x2D || b == 0x5F || b == 0x0A || b == 0x0D
        }
    }

    /// The working folder and the folders in `RLM_IMAGE_DIRS`, absolute and normalized.
    static func allowedRoots(environment: [String: String], workingFolder: String) -> [String] {
        var roots = [normalize(workingFolder)]
        if let extra = environment["RLM_IMAGE_DIRS"] {
            for dir in extra.split(separator: ":") where !dir.isEmpty {
                roots.append(absolute(String(dir), in: workingFolder))
            }
        }
        return roots
    }

    /// Whether `path` (absolute, normalized) is below a root with no hidden component below it,
    /// and outside the kernel's file systems.
    static func isAllowed(_ path: String, roots: [String]) -> Bool {
        for system in ["/proc", "/sys", "/dev"] where path == system || path.hasPrefix(system + "/") {
            return false
        }
        for root in roots {
            let prefix = root == "/" ? "/" : root + "/"
            guard path.hasPrefix(prefix) else { continue }
            let below = path.dropFirst(prefix.count).split(separator: "/")
            if !below.isEmpty && !below.contains(where: { $0.hasPrefix(".") }) { return true }
        }
        return false
    }

    /// `path` made absolute against `folder`, with `.`, `..` and repeated slashes resolved
    /// lexically (symlinks are judged separately, by `realPath`).
    static func absolute(_ path: String, in folder: String) -> String {
        var text = path
        if text.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            text = home + text.dropFirst(1)
        }
        return normalize(text.hasPrefix("/") ? text : folder + "/" + text)
    }

    private static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The path with every symlink resolved, nil when it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func mime(for path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        default: return "image/png"
        }
    }
}
