/// Installs every built-in library into a runtime, then the Scheme prelude.
enum StandardLibrary {
    static func install(into runtime: Runtime) {
        let lib = LibraryBuilder(runtime: runtime)
        registerNumberLibrary(lib)
        registerStringLibrary(lib)
        registerCharLibrary(lib)
        registerListLibrary(lib)
        registerVectorLibrary(lib)
        registerHashLibrary(lib)
        registerIOLibrary(lib)
        registerJSONLibrary(lib)
    }
}
