/// The JSON library (filled in by its owner).
func registerJSONLibrary(_ lib: LibraryBuilder) {
}
