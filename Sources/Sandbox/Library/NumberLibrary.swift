/// The Number library (filled in by its owner).
func registerNumberLibrary(_ lib: LibraryBuilder) {
}
