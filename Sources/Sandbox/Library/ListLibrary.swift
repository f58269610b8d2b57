/// The List library (filled in by its owner).
func registerListLibrary(_ lib: LibraryBuilder) {
}
