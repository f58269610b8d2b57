/// The Vector library (filled in by its owner).
func registerVectorLibrary(_ lib: LibraryBuilder) {
}
