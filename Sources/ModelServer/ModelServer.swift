/// A local OpenAI-compatible HTTP server for tests, benchmarks and offline demos (placeholder).
public enum ModelServerPlaceholder {}
