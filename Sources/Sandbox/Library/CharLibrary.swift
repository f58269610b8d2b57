/// The Char library (filled in by its owner).
func registerCharLibrary(_ lib: LibraryBuilder) {
}
