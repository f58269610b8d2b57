/// The embedded behaviour table: latency, typical reply length and per-tier rate limits.
///
/// Latency and reply-length figures are rounded priors from public measurements of 2025–2026
/// (time to first token, output tokens per second); calibration (`rlm-plan calibrate`) replaces
/// them with what the user's own runs show. Rate limits per usage tier follow the providers'
/// published tables as of 2026-11 (OpenAI tiers 1–5, Anthropic tiers 1–4); an account's real
/// limits are in its dashboard, and `--models FILE` overrides any figure.
enum ModelBehaviorData {
    static let json = """
    {
      "models": {
        "gpt-4o": {"ttft_s": 0.45, "ttft_s_per_1k_input": 0.10, "output_tokens_per_s": 80, "reply_tokens": 260,
          "tiers": {"tier-1": {"rpm": 500, "tpm": 30000}, "tier-2": {"rpm": 5000, "tpm": 450000}, "tier-3": {"rpm": 5000, "tpm": 800000},
                    "tier-4": {"rpm": 10000, "tpm": 2000000}, "tier-5": {"rpm": 10000, "tpm": 30000000}}},
        "gpt-4o-mini": {"ttft_s": 0.35, "ttft_s_per_1k_input": 0.06, "output_tokens_per_s": 110, "reply_tokens": 240,
          "tiers": {"tier-1": {"rpm": 500, "tpm": 200000}, "tier-2": {"rpm": 5000, "tpm": 2000000}, "tier-3": {"rpm": 5000, "tpm": 4000000},
                    "tier-4": {"rpm": 10000, "tpm": 10000000}, "tier-5": {"rpm": 30000, "tpm": 150000000}}},
        "gpt-4.1": {"ttft_s": 0.50, "ttft_s_per_1k_input": 0.10, "output_tokens_per_s": 75, "reply_tokens": 280,
          "tiers": {"tier-1": {"rpm": 500, "tpm": 30000}, "tier-2": {"rpm": 5000, "tpm": 450000}, "tier-3": {"rpm": 5000, "tpm": 800000},
                    "tier-4": {"rpm": 10000, "tpm": 2000000}, "tier-5": {"rpm": 10000, "tpm": 30000000}}},
        "gpt-4.1-mini": {"ttft_s": 0.35, "ttft_s_per_1k_input": 0.06, "output_tokens_per_s": 105, "reply_tokens": 250,
          "tiers": {"tier-1": {"rpm": 500, "tpm": 200000}, "tier-2": {"rpm": 5000, "tpm": 2000000}, "tier-3": {"rpm": 5000, "tpm": 4000000},
                    "tier-4": {"rpm": 10000, "tpm": 10000000}, "tier-5": {"rpm": 30000, "tpm": 150000000}}},
        "gpt-4.1-nano": {"ttft_s": 0.25, "ttft_s_per_1k_input": 0.04, "output_tokens_per_s": 160, "reply_tokens": 200,
          "tiers": {"tier-1": {"rpm": 500, "tpm": 200000}, "tier-2": {"rpm": 5000, "tpm": 2000000}, "tier-3": {"rpm": 5000, "tpm": 4000000},
                    "tier-4": {"rpm": 10000, "tpm": 10000000}, "tier-5": {"rpm": 30000, "tpm": 150000000}}},
        "o3-mini": {"ttft_s": 1.60, "ttft_s_per_1k_input": 0.15, "output_tokens_per_s": 120, "reply_tokens": 420,
          "tiers": {"tier-1": {"rpm": 500, "tpm": 200000}, "tier-2": {"rpm": 5000, "tpm": 2000000}, "tier-3": {"rpm": 5000, "tpm": 4000000},
                    "tier-4": {"rpm": 10000, "tpm": 10000000}, "tier-5": {"rpm": 30000, "tpm": 150000000}}},
        "o4-mini": {"ttft_s": 1.40, "ttft_s_per_1k_input": 0.15, "output_tokens_per_s": 130, "reply_tokens": 420,
          "tiers": {"tier-1": {"rpm": 1000, "tpm": 100000}, "tier-2": {"rpm": 2000, "tpm": 2000000}, "tier-3": {"rpm": 5000, "tpm": 4000000},
                    "tier-4": {"rpm": 10000, "tpm": 10000000}, "tier-5": {"rpm": 30000, "tpm": 150000000}}},
        "gpt-3.5-turbo": {"ttft_s": 0.30, "ttft_s_per_1k_input": 0.05, "output_tokens_per_s": 120, "reply_tokens": 220,
          "tiers": {"tier-1": {"rpm": 3500, "tpm": 200000}, "tier-2": {"rpm": 3500, "tpm": 2000000}, "tier-3": {"rpm": 3500, "tpm": 4000000},
                    "tier-4": {"rpm": 10000, "tpm": 10000000}, "tier-5": {"rpm": 10000, "tpm": 50000000}}},
        "claude-3-5-sonnet": {"ttft_s": 0.80, "ttft_s_per_1k_input": 0.12, "output_tokens_per_s": 60, "reply_tokens": 300,
          "tiers": {"tier-1": {"rpm": 50, "tpm": 40000}, "tier-2": {"rpm": 1000, "tpm": 80000}, "tier-3": {"rpm": 2000, "tpm": 160000},
                    "tier-4": {"rpm": 4000, "tpm": 400000}}},
        "claude-3-5-haiku": {"ttft_s": 0.55, "ttft_s_per_1k_input": 0.08, "output_tokens_per_s": 95, "reply_tokens": 240,
          "tiers": {"tier-1": {"rpm": 50, "tpm": 50000}, "tier-2": {"rpm": 1000, "tpm": 100000}, "tier-3": {"rpm": 2000, "tpm": 200000},
                    "tier-4": {"rpm": 4000, "tpm": 400000}}},
        "claude-3-7-sonnet": {"ttft_s": 0.85, "ttft_s_per_1k_input": 0.12, "output_tokens_per_s": 60, "reply_tokens": 320,
          "tiers": {"tier-1": {"rpm": 50, "tpm": 40000}, "tier-2": {"rpm": 1000, "tpm": 80000}, "tier-3": {"rpm": 2000, "tpm": 160000},
                    "tier-4": {"rpm": 4000, "tpm": 400000}}}
      },
      "aliases": {"fast": "gpt-4o-mini", "balanced": "gpt-4o", "quality": "gpt-4.1"}
    }
    """
}
