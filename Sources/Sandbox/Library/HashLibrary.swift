/// The Hash library (filled in by its owner).
func registerHashLibrary(_ lib: LibraryBuilder) {
}
