package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.split.CharacterSplitter;
import dev.parallelrag.split.KeepSeparator;
import dev.parallelrag.split.LengthFunction;
import dev.parallelrag.split.RecursiveSplitter;
import dev.parallelrag.split.SentenceSplitter;
import dev.parallelrag.split.SeparatorSplitter;
import dev.parallelrag.split.TextSplitter;
import dev.parallelrag.split.TokenSplitter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The splitter options of {@code parallelrag split} and how they become a {@link TextSplitter}. An option
 * that the chosen splitter would ignore is a usage error rather than silently dropped.
 */
final class SplitterOptions {

    /** Default chunk size, in the splitter's unit (code points, or tokens). */
    static final int DEFAULT_CHUNK_SIZE = 1000;
    /** Default overlap is a fifth of the chunk size, at most this. */
    static final int MAX_DEFAULT_OVERLAP = 200;

    enum Kind { character, separator, recursive, token, sentence }

    enum Keep { none, start, end }

    enum Length { chars, tokens }

    @Option(names = "--splitter", paramLabel = "KIND", defaultValue = "recursive",
            description = "character|separator|recursive|token|sentence (default: ${DEFAULT-VALUE})")
    Kind kind;

    @Option(names = "--chunk-size", paramLabel = "N",
            description = "Largest chunk, in code points (or tokens with --length tokens and for the token splitter). Default: "
                    + DEFAULT_CHUNK_SIZE + ".")
    Integer chunkSize;

    @Option(names = "--chunk-overlap", paramLabel = "N",
            description = "Overlap between neighbouring chunks, same unit. Default: a fifth of --chunk-size, at most "
                    + MAX_DEFAULT_OVERLAP + ".")
    Integer chunkOverlap;

    @Option(names = "--separator", paramLabel = "S",
            description = "Separator of the separator splitter (default \\n\\n). Without --separator-regex, the escapes \\n \\r \\t \\\\ are understood.")
    String separator;

    @Option(names = "--separators", paramLabel = "JSON",
            description = "Separators of the recursive splitter, most significant first, as a JSON array. Default: [\"\\n\\n\",\"\\n\",\" \",\"\"].")
    String separatorsJson;

    @Option(names = "--separator-regex", description = "Treat --separator / --separators as Java regular expressions.")
    boolean separatorRegex;

    @Option(names = "--keep-separator", paramLabel = "MODE",
            description = "none|start|end: where separator text goes (default: none for separator, start for recursive).")
    Keep keepSeparator;

    @Option(names = "--no-strip", description = "Keep whitespace around chunks (separator, recursive and token splitters).")
    boolean noStrip;

    @Option(names = "--length", paramLabel = "UNIT",
            description = "chars|tokens: how separator, recursive and sentence splitters measure size (default: chars = code points).")
    Length length;

    @Option(names = "--encoding", paramLabel = "NAME", defaultValue = TokenSplitter.DEFAULT_ENCODING,
            description = "Token encoding: cl100k_base|o200k_base|p50k_base|r50k_base (default: ${DEFAULT-VALUE}).")
    String encoding;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Builds the splitter.
     *
     * @throws ValidationException naming the option, the value and the rule
     */
    TextSplitter build() {
        try {
            return buildSplitter();
        } catch (ValidationException e) {
            throw asOption(e);
        }
    }

    private TextSplitter buildSplitter() {
        LengthFunction.TokenEncodings.get(encoding); // an unknown encoding is an error whatever the splitter
        int size = chunkSize == null ? DEFAULT_CHUNK_SIZE : chunkSize;
        if (size < 1) {
            throw new ValidationException("--chunk-size", size, "must be at least 1");
        }
        int overlap = chunkOverlap == null ? Math.min(MAX_DEFAULT_OVERLAP, size / 5) : chunkOverlap;
        if (overlap < 0) {
            throw new ValidationException("--chunk-overlap", overlap, "must be at least 0");
        }
        onlyFor(separator, "--separator", Kind.separator);
        onlyFor(separatorsJson, "--separators", Kind.recursive);
        onlyFor(separatorRegex ? true : null, "--separator-regex", Kind.separator, Kind.recursive);
        onlyFor(keepSeparator, "--keep-separator", Kind.separator, Kind.recursive);
        onlyFor(noStrip ? true : null, "--no-strip", Kind.separator, Kind.recursive, Kind.token);
        onlyFor(length == Length.tokens ? length : null, "--length", Kind.separator, Kind.recursive, Kind.sentence, Kind.token);
        onlyFor(length == Length.chars ? length : null, "--length", Kind.character, Kind.separator, Kind.recursive, Kind.sentence);
        return switch (kind) {
                case character -> CharacterSplitter.builder().chunkSize(size).chunkOverlap(overlap).build();
                case separator -> {
                    SeparatorSplitter.Builder b = SeparatorSplitter.builder().chunkSize(size).chunkOverlap(overlap)
                            .separatorRegex(separatorRegex).stripWhitespace(!noStrip).lengthFunction(lengthFunction());
                    if (separator != null) {
                        b.separator(separatorRegex ? separator : unescape(separator));
                    }
                    if (keepSeparator != null) {
                        b.keepSeparator(keep());
                    }
                    yield b.build();
                }
                case recursive -> {
                    RecursiveSplitter.Builder b = RecursiveSplitter.builder().chunkSize(size).chunkOverlap(overlap)
                            .separatorRegex(separatorRegex).stripWhitespace(!noStrip).lengthFunction(lengthFunction());
                    if (separatorsJson != null) {
                        b.separators(parseSeparators(separatorsJson));
                    }
                    if (keepSeparator != null) {
                        b.keepSeparator(keep());
                    }
                    yield b.build();
                }
                case token -> TokenSplitter.builder().encoding(encoding).chunkSize(size).chunkOverlap(overlap)
                        .stripWhitespace(!noStrip).build();
                case sentence -> SentenceSplitter.builder().chunkSize(size).chunkOverlap(overlap)
                        .lengthFunction(lengthFunction()).build();
            };
    }

    private LengthFunction lengthFunction() {
        return length == Length.tokens ? LengthFunction.tokens(encoding) : LengthFunction.codePoints();
    }

    private KeepSeparator keep() {
        return switch (keepSeparator) {
            case none -> KeepSeparator.NONE;
            case start -> KeepSeparator.START;
            case end -> KeepSeparator.END;
        };
    }

    /** Rejects an option the chosen splitter would ignore; {@code value} is null when the option was not given. */
    private void onlyFor(Object value, String option, Kind... kinds) {
        if (value == null) {
            return;
        }
        for (Kind k : kinds) {
            if (k == kind) {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (Kind k : kinds) {
            names.add(k.name());
        }
        throw new ValidationException(option, value instanceof Enum<?> e ? e.name() : value,
                "applies only to --splitter " + String.join("|", names) + ", not " + kind);
    }

    static List<String> parseSeparators(String json) {
        try {
            List<String> list = JSON.readValue(json, new TypeReference<List<String>>() { });
            if (list == null || list.isEmpty() || list.contains(null)) {
                throw new ValidationException("--separators", json, "must be a non-empty JSON array of strings, e.g. [\"\\n\\n\",\"\\n\",\" \",\"\"]");
            }
            return list;
        } catch (JsonProcessingException e) {
            throw new ValidationException("--separators", json,
                    "is not a JSON array of strings (" + e.getOriginalMessage() + "); e.g. [\"\\n\\n\",\"\\n\",\" \",\"\"]");
        }
    }

    /** Shell users cannot easily type a newline: {@code \n}, {@code \r}, {@code \t} and {@code \\} become the characters. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                switch (n) {
                    case 'n' -> { b.append('\n'); i++; continue; }
                    case 'r' -> { b.append('\r'); i++; continue; }
                    case 't' -> { b.append('\t'); i++; continue; }
                    case '\\' -> { b.append('\\'); i++; continue; }
                    default -> { }
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Renames the library's field (chunkSize) to the option the user typed (--chunk-size). */
    private static ValidationException asOption(ValidationException e) {
        String option = switch (e.field()) {
            case "chunkSize" -> "--chunk-size";
            case "chunkOverlap" -> "--chunk-overlap";
            case "separator" -> "--separator";
            case "encoding" -> "--encoding";
            case "lengthFunction" -> "--length";
            default -> e.field().startsWith("separators") ? "--separators" + e.field().substring("separators".length()) : e.field();
        };
        if (option.equals(e.field())) {
            return e;
        }
        String raw = e.value();
        // numbers print without quotes, as the library printed them
        Object value = raw != null && raw.matches("-?\\d{1,18}") ? (Object) Long.parseLong(raw) : raw;
        return new ValidationException(option, value, e.rule());
    }
}
