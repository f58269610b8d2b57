import Foundation
import Sandbox
import Simulator
import Testing

/// A simulated run's Python works on a discarded copy of the files and reports what it would change.
@Suite struct SimulationPythonTests {
    @Test("a simulated run that writes README.md via Python leaves the real one unchanged and lists the write")
    func simulatedWriteIsReported() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        guard path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/python3") })
        else { return }
        let cwd = FileManager.default.currentDirectoryPath
        let readme = cwd + "/README.md"
        let before = FileManager.default.contents(atPath: readme)
        let program = """
            (define readme (llm-query #:instruction "Write a README"))
            (py-set! "content" (format "~a" readme))
            (py-exec "with open('README.md', 'w') as f:\\n    f.write(content)")
            (finish "written")
            """
        let run = SimulationRunner.run(program: program, sourceName: "readme.scm", options: SimulationOptions(), seed: 1)
        #expect(run.status == .finished, "\(run.error ?? "")")
        #expect(FileManager.default.contents(atPath: readme) == before)
        let write = try #require(run.pythonChanges.first)
        #expect(write.kind == .write && write.path == "README.md" && write.bytes > 0)
    }
}
