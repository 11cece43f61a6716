package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.split.ChunkOverlap;
import dev.parallelrag.split.KeepSeparator;
import dev.parallelrag.split.SplitterSpec;
import dev.parallelrag.split.TokenSplitter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The splitter options of {@code split} and {@code ingest}, parsed into the library's {@link SplitterSpec}.
 * Defaults, the overlap rule and the check that the chosen splitter uses every option given all live in
 * {@code SplitterSpec}; this class only renames its fields to the options the user typed.
 */
final class SplitterOptions {

    @Option(names = "--splitter", paramLabel = "KIND",
            description = "character|separator|recursive|token|sentence (default: recursive; ingest into an existing "
                    + "index: the splitter it records).")
    String kind;

    @Option(names = "--chunk-size", paramLabel = "N",
            description = "Largest chunk, in code points (or tokens with --length tokens and for the token splitter). Default: "
                    + SplitterSpec.DEFAULT_CHUNK_SIZE + ".")
    Integer chunkSize;

    @Option(names = "--chunk-overlap", paramLabel = "N",
            description = "Overlap between neighbouring chunks, same unit. Default: a fifth of --chunk-size, at most "
                    + ChunkOverlap.MAX_DEFAULT + ".")
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
    String keepSeparator;

    @Option(names = "--strip", negatable = true,
            description = "Trim whitespace around chunks (separator, recursive and token splitters; default: on for "
                    + "separator and recursive, off for token, as LangChain).")
    Boolean strip;

    @Option(names = "--length", paramLabel = "UNIT",
            description = "chars|tokens: how separator, recursive and sentence splitters measure size (default: chars = code points).")
    String length;

    @Option(names = "--encoding", paramLabel = "NAME",
            description = "Token encoding of the token splitter or --length tokens: cl100k_base|o200k_base|p50k_base|r50k_base "
                    + "(default: " + TokenSplitter.DEFAULT_ENCODING + ").")
    String encoding;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** True when any splitter option was given. */
    boolean given() {
        return kind != null || chunkSize != null || chunkOverlap != null || separator != null || separatorsJson != null
                || separatorRegex || keepSeparator != null || strip != null || length != null || encoding != null;
    }

    /**
     * The splitter settings the options describe; the defaults fill in what was not given.
     *
     * @throws ValidationException naming the option, the value and the rule
     */
    SplitterSpec spec() {
        try {
            return buildSpec();
        } catch (ValidationException e) {
            throw asOption(e);
        }
    }

    private SplitterSpec buildSpec() {
        SplitterSpec.Builder b = SplitterSpec.builder(SplitterSpec.Kind.fromId(kind == null ? "recursive" : kind));
        if (chunkSize != null) {
            b.chunkSize(chunkSize);
        }
        if (chunkOverlap != null) {
            b.chunkOverlap(chunkOverlap);
        }
        if (separator != null && separatorsJson != null) {
            throw new ValidationException("--separator", separator, "contradicts --separators; give one of them");
        }
        if (separator != null) {
            if (kind == null || !kind.equals("separator")) {
                throw new ValidationException("--separator", separator, "applies only to --splitter separator"
                        + " (the recursive splitter takes --separators)");
            }
            b.separators(List.of(separatorRegex ? separator : unescape(separator)));
        }
        if (separatorsJson != null) {
            if (kind != null && kind.equals("separator")) {
                throw new ValidationException("--separators", separatorsJson, "applies only to --splitter recursive"
                        + " (the separator splitter takes --separator)");
            }
            b.separators(parseSeparators(separatorsJson));
        }
        if (separatorRegex) {
            b.separatorRegex(true);
        }
        if (keepSeparator != null) {
            b.keepSeparator(keep(keepSeparator));
        }
        if (strip != null) {
            b.stripWhitespace(strip);
        }
        if (length != null) {
            b.length(SplitterSpec.Unit.fromId(length));
        }
        if (encoding != null) {
            b.encoding(encoding);
        }
        return b.build();
    }

    private static KeepSeparator keep(String mode) {
        return switch (mode) {
            case "none" -> KeepSeparator.NONE;
            case "start" -> KeepSeparator.START;
            case "end" -> KeepSeparator.END;
            default -> throw new ValidationException("--keep-separator", mode, "must be one of none, start, end");
        };
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
            case "separatorRegex" -> "--separator-regex";
            case "keepSeparator" -> "--keep-separator";
            case "stripWhitespace" -> "--strip";
            case "splitter" -> "--splitter";
            case "encoding" -> "--encoding";
            case "length", "lengthFunction" -> "--length";
            default -> e.field().startsWith("separators") ? "--separators" + e.field().substring("separators".length()) : e.field();
        };
        if (option.equals(e.field())) {
            return e;
        }
        String raw = e.value();
        // numbers print without quotes, as the library printed them
        Object value = raw != null && raw.matches("-?\\d{1,18}") ? (Object) Long.parseLong(raw) : raw;
        return new ValidationException(option, value, e.rule().replaceAll("the (\\S+) splitter, not", "--splitter $1, not"));
    }
}
