package dev.parallelrag.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/** Test texts: real SOTU prose from the repo's data/sotu, and hand-picked non-ASCII samples. */
public final class TestTexts {

    /** Accents, CJK, emoji (ZWJ, flags, skin tones), RTL, combining marks, control and odd whitespace, special-token look-alikes. */
    public static final List<String> NON_ASCII = List.of(
            "Café naïve résumé coöperate façade Ångström œuvre",
            "東京は日本の首都です。北京是中国的首都。",
            "한국어 텍스트와 日本語のテキスト",
            "Emoji: 😀 🦜🧬 👩‍👩‍👧‍👦 🇯🇵 👍🏽 ❤️",
            "Привет, мир! Как дела?",
            "مرحبا بالعالم",
            "שלום עולם",
            "e\u0301 a\u0308\u0323 n\u0303 Ǆ ǅ ǆ",
            "İstanbul ŞEHİR ıi ΣΊΣΥΦΟΣ Ὀδυσσεύς",
            "Tab\tNew\nline\r\nCR\u000Bvt\u000Cff\u0085nel\u00A0nbsp\u2003em\u3000ideo",
            "zero\u200Bwidth\u200Djoiner\u00ADsoft\uFEFFbom",
            "control\u0001\u0007\u001Fchars\u0000nul\uFFFDrepl",
            "[CLS] [SEP] [MASK] [PAD] [UNK] [cls] [[SEP]]",
            "€100 £5 ¥300 ₹20 ±3° ½ ¾ ™ © ®",
            "“Smart quotes” ‘single’ «guillemets» — en–dash … ellipsis",
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "a".repeat(150) + " " + "b".repeat(99),
            "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝓜𝓪𝓽𝓱 𝟙𝟚𝟛 𠀀𠀁 𪜀",
            "ﬁ ﬂ ß ẞ ǰ ΐ",
            "C++ e-mail user@example.com https://example.com/a_b?c=d&e=f#g",
            "x = (a + b) * c / d ^ 2 | ~e < f > g; `code`",
            "Ελληνικά και ελληνικά ΑΒΓ",
            "हिन्दी भाषा ภาษาไทย ქართული");

    private TestTexts() {
    }

    public static Path sotuDirectory() {
        Path dir = Path.of("../data/sotu");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("test data missing: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** All SOTU speeches, oldest first. */
    public static List<String> speeches() {
        try (Stream<Path> files = Files.list(sotuDirectory())) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted()
                    .map(TestTexts::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} real sentences sampled across all speeches with a fixed seed (blank ones skipped). */
    public static List<String> sotuSentences(int count, long seed) {
        List<String> all = new ArrayList<>();
        for (String speech : speeches()) {
            for (String s : speech.split("(?<=[.!?])\\s+")) {
                String t = s.strip();
                if (!t.isEmpty()) {
                    all.add(t);
                }
            }
        }
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(all.get(random.nextInt(all.size())));
        }
        return out;
    }

    /**
     * {@code count} texts whose token lengths spread log-uniformly from {@code minTokens} to {@code maxTokens}
     * (by the given counter): consecutive SOTU words from a random place, every fifth text with non-ASCII samples mixed in.
     */
    public static List<String> variedLengths(int count, int minTokens, int maxTokens, long seed, ToIntFunction<String> tokenCount) {
        List<String> speeches = speeches();
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double u = count == 1 ? 0 : (double) i / (count - 1);
            int target = (int) Math.round(Math.exp(Math.log(minTokens) + u * (Math.log(maxTokens) - Math.log(minTokens))));
            String speech = speeches.get(random.nextInt(speeches.size()));
            String[] words = speech.split("\\s+");
            int at = random.nextInt(Math.max(1, words.length - 1200));
            StringBuilder sb = new StringBuilder();
            boolean mixed = i % 5 == 0;
            int w = at;
            // grow by words until the text has the target token count (never more: stop one word early if needed)
            while (true) {
                String next = mixed && (w - at) % 7 == 0
                        ? NON_ASCII.get(random.nextInt(NON_ASCII.size())).split("\\s+")[0]
                        : words[w % words.length];
                String candidate = sb.isEmpty() ? next : sb + " " + next;
                int n = tokenCount.applyAsInt(candidate);
                if (n > target && !sb.isEmpty()) {
                    break;
                }
                sb.setLength(0);
                sb.append(candidate);
                w++;
                if (n >= target) {
                    break;
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
