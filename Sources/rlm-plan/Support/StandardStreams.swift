#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sandbox

/// Unbuffered access to the process's standard streams.
///
/// Writes go straight to the file descriptor, so every line is out ("flushed") when `write`
/// returns, as the protocol requires (reference §4.9). Input is read as bytes and decoded lossily.
enum StandardStreams {
    /// Writing failed, typically because the reader closed the pipe (EPIPE).
    struct WriteError: Error {
        let errno: Int32
    }

    /// True when standard input is a terminal (prompts are shown only then).
    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// Makes a closed output pipe an error from `write` (EPIPE) instead of a fatal SIGPIPE.
    static func ignoreBrokenPipeSignal() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `text` as UTF-8 to standard output.
    static func writeOutput(_ text: String) throws(WriteError) {
        try writeAll(text, to: STDOUT_FILENO)
    }

    /// Writes all of `text` to standard error; failures are ignored (there is nowhere to report them).
    static func writeError(_ text: String) {
        try? writeAll(text, to: STDERR_FILENO)
    }

    private static func writeAll(_ text: String, to fd: Int32) throws(WriteError) {
        var text = text
        let failure: Int32? = text.withUTF8 { bytes -> Int32? in
            guard let base = bytes.baseAddress else { return nil }
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, base + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failure { throw WriteError(errno: failure) }
    }

    /// Reads up to 64 KiB from standard input; nil at end of input (or on a read error).
    static func readInputChunk() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n > 0 { return Array(buffer[..<n]) }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// All of standard input, decoded lossily as UTF-8.
    static func readAllInput() -> String {
        var bytes: [UInt8] = []
        while let chunk = readInputChunk() { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Standard input as a sequence of lines (without `\n`), decoded lossily as UTF-8.
struct StandardInputLines {
    private var splitter = ProtocolLineSplitter()
    private var ready: [String] = []
    private var readyIndex = 0
    private var atEnd = false

    /// True when a complete line is already buffered, so `next()` will not block.
    var hasBufferedLine: Bool { readyIndex < ready.count }

    /// The next line; nil once input is exhausted.
    mutating func next() -> String? {
        while readyIndex == ready.count {
            if atEnd { return nil }
            ready = []
            readyIndex = 0
            if let chunk = StandardStreams.readInputChunk() {
                ready = splitter.append(chunk)
            } else {
                atEnd = true
                if let last = splitter.finish() { ready = [last] }
            }
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }
}
