/// The String library (filled in by its owner).
func registerStringLibrary(_ lib: LibraryBuilder) {
}
