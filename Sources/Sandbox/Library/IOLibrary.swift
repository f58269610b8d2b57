/// The IO library (filled in by its owner).
func registerIOLibrary(_ lib: LibraryBuilder) {
}
