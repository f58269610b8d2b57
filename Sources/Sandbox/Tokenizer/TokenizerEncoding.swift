/// An OpenAI tokenizer encoding, named as in tiktoken.
public enum TokenizerEncoding: String, Sendable, CaseIterable {
    /// GPT-4o, GPT-4.1, GPT-5 and the o-series.
    case o200kBase = "o200k_base"
    /// GPT-4, GPT-3.5 Turbo and the text-embedding-3 models.
    case cl100kBase = "cl100k_base"
}
