package dev.parallelrag.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of a built-in splitter, as a value: what an index records so that a later ingest builds
 * the same splitter, and what the CLI's {@code split} and {@code ingest} options become. {@link #create()}
 * builds the splitter, {@link #toMap()} and {@link #fromMap(Map)} write and read the recorded form.
 *
 * <p>Build one with {@link #builder(Kind)}: a setting left out takes the kind's default, and a setting the
 * kind would ignore (a separator for the token splitter) is a {@link ValidationException} rather than
 * silently dropped. Defaults:
 * <ul>
 *   <li>{@code chunkSize} {@value #DEFAULT_CHUNK_SIZE}, in code points (tokens for the token splitter and
 *       with {@link Unit#TOKENS}): about 250 tokens of English, so a chunk fits the 256-token window of the
 *       smallest bundled model (all-MiniLM-L6-v2) and retrieval sees all of it. (The splitter classes themselves keep
 *       LangChain's 4,000, so that they behave as LangChain does when used alone.)</li>
 *   <li>{@code chunkOverlap}: {@link ChunkOverlap#defaultFor(int)}, a fifth of the size, at most 200.</li>
 *   <li>separators, regex, keep-separator and whitespace stripping: the splitter class's own defaults
 *       (LangChain's): strip on for separator and recursive, off for token, as LangChain's
 *       {@code TokenTextSplitter}.</li>
 *   <li>{@code length}: code points; {@code encoding}: {@value TokenSplitter#DEFAULT_ENCODING}.</li>
 * </ul>
 *
 * @param kind            which splitter
 * @param chunkSize       largest chunk in the unit
 * @param chunkOverlap    overlap between neighbouring chunks, same unit
 * @param separators      separator and recursive splitters: the separators (one for separator); else empty
 * @param separatorRegex  separator and recursive splitters: separators are regular expressions
 * @param keepSeparator   separator and recursive splitters: where separator text goes; else {@code NONE}
 * @param stripWhitespace separator, recursive and token splitters: chunks are trimmed; else false
 * @param length          how sizes are measured; the token splitter always counts tokens
 * @param encoding        the token encoding when the unit is tokens; else empty
 */
public record SplitterSpec(Kind kind, int chunkSize, int chunkOverlap, List<String> separators, boolean separatorRegex,
                           KeepSeparator keepSeparator, boolean stripWhitespace, Unit length, String encoding) {

    /** Default chunk size of an index's splitter; see the class comment for why. */
    public static final int DEFAULT_CHUNK_SIZE = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The built-in splitters. */
    public enum Kind {
        CHARACTER, SEPARATOR, RECURSIVE, TOKEN, SENTENCE;

        /** Lower-case name, as recorded and as typed on the command line. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromId(String id) {
            return byId(values(), id, "splitter");
        }
    }

    /** How splitter sizes are measured. */
    public enum Unit {
        /** Unicode code points (an emoji counts as 1). */
        CHARS,
        /** BPE tokens of the spec's encoding. */
        TOKENS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Unit fromId(String id) {
            return byId(values(), id, "length");
        }
    }

    public SplitterSpec {
        separators = List.copyOf(separators);
    }

    /** The default splitter of an index: recursive, {@value #DEFAULT_CHUNK_SIZE} code points, overlap 200. */
    public static SplitterSpec defaults() {
        return builder(Kind.RECURSIVE).build();
    }

    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    /** Builds the splitter these settings describe. */
    public TextSplitter create() {
        LengthFunction unit = length == Unit.TOKENS ? LengthFunction.tokens(encoding) : LengthFunction.codePoints();
        return switch (kind) {
            case CHARACTER -> CharacterSplitter.builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
            case SEPARATOR -> SeparatorSplitter.builder().separator(separators.getFirst()).separatorRegex(separatorRegex)
                    .keepSeparator(keepSeparator).stripWhitespace(stripWhitespace).chunkSize(chunkSize)
                    .chunkOverlap(chunkOverlap).lengthFunction(unit).build();
            case RECURSIVE -> RecursiveSplitter.builder().separators(separators).separatorRegex(separatorRegex)
                    .keepSeparator(keepSeparator).stripWhitespace(stripWhitespace).chunkSize(chunkSize)
                    .chunkOverlap(chunkOverlap).lengthFunction(unit).build();
            case TOKEN -> TokenSplitter.builder().encoding(encoding).chunkSize(chunkSize).chunkOverlap(chunkOverlap)
                    .stripWhitespace(stripWhitespace).build();
            case SENTENCE -> SentenceSplitter.builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).lengthFunction(unit).build();
        };
    }

    /**
     * The settings of a built-in splitter, or empty for a splitter these settings cannot rebuild (your own
     * class, or a sentence splitter with its own long-sentence splitter).
     */
    public static Optional<SplitterSpec> of(TextSplitter splitter) {
        Builder b = switch (splitter) {
            case CharacterSplitter s -> builder(Kind.CHARACTER).chunkSize(s.chunkSize()).chunkOverlap(s.chunkOverlap());
            case SeparatorSplitter s -> builder(Kind.SEPARATOR).separators(List.of(s.separator()))
                    .separatorRegex(s.separatorRegex()).keepSeparator(s.keepSeparator()).stripWhitespace(s.stripWhitespace())
                    .chunkSize(s.chunkSize()).chunkOverlap(s.chunkOverlap()).lengthFunction(s.lengthFunction());
            case RecursiveSplitter s -> builder(Kind.RECURSIVE).separators(s.separators()).separatorRegex(s.separatorRegex())
                    .keepSeparator(s.keepSeparator()).stripWhitespace(s.stripWhitespace()).chunkSize(s.chunkSize())
                    .chunkOverlap(s.chunkOverlap()).lengthFunction(s.lengthFunction());
            case TokenSplitter s -> builder(Kind.TOKEN).encoding(s.encodingName()).chunkSize(s.chunkSize())
                    .chunkOverlap(s.chunkOverlap()).stripWhitespace(s.stripWhitespace());
            case SentenceSplitter s when s.hasDefaultLongSentenceSplitter() -> builder(Kind.SENTENCE).chunkSize(s.chunkSize())
                    .chunkOverlap(s.chunkOverlap()).lengthFunction(s.lengthFunction());
            case null, default -> null;
        };
        return Optional.ofNullable(b).map(Builder::build);
    }

    /**
     * The settings behind a splitter fingerprint ({@code toString()} of a built-in splitter), for indexes that
     * recorded only that: the kind, size and overlap are read from it and the result is accepted only when
     * the splitter it builds prints exactly the same fingerprint, so nothing is guessed. Empty when no
     * candidate matches (other settings, or a splitter of your own).
     */
    public static Optional<SplitterSpec> recognize(String fingerprint) {
        java.util.regex.Matcher m = FINGERPRINT.matcher(fingerprint == null ? "" : fingerprint);
        if (!m.find()) {
            return Optional.empty();
        }
        Kind kind = switch (fingerprint.substring(0, fingerprint.indexOf('['))) {
            case "CharacterSplitter" -> Kind.CHARACTER;
            case "SeparatorSplitter" -> Kind.SEPARATOR;
            case "RecursiveSplitter" -> Kind.RECURSIVE;
            case "TokenSplitter" -> Kind.TOKEN;
            case "SentenceSplitter" -> Kind.SENTENCE;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        List<Builder> candidates = new ArrayList<>();
        for (boolean strip : kind == Kind.TOKEN ? List.of(false, true) : List.of(true)) {
            Builder b = builder(kind).chunkSize(Integer.parseInt(m.group(1))).chunkOverlap(Integer.parseInt(m.group(2)));
            candidates.add(kind == Kind.TOKEN ? b.stripWhitespace(strip) : b);
        }
        for (Builder b : candidates) {
            try {
                SplitterSpec spec = b.build();
                if (spec.create().toString().equals(fingerprint)) {
                    return Optional.of(spec);
                }
            } catch (ValidationException e) {
                // not this candidate
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern FINGERPRINT =
            java.util.regex.Pattern.compile("chunkSize=(\\d{1,9}), chunkOverlap=(\\d{1,9})");

    /**
     * The recorded form: {@code kind}, {@code chunk_size}, {@code chunk_overlap}, and those of
     * {@code separators} (a JSON array), {@code separator_regex}, {@code keep_separator}
     * ({@code none|start|end}), {@code strip_whitespace}, {@code length} ({@code chars|tokens}) and
     * {@code encoding} that apply to the kind. Insertion-ordered.
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", kind.id());
        m.put("chunk_size", Integer.toString(chunkSize));
        m.put("chunk_overlap", Integer.toString(chunkOverlap));
        if (kind == Kind.SEPARATOR || kind == Kind.RECURSIVE) {
            try {
                m.put("separators", JSON.writeValueAsString(separators));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a list of strings always serialises", e);
            }
            m.put("separator_regex", Boolean.toString(separatorRegex));
            m.put("keep_separator", keepSeparator.name().toLowerCase(Locale.ROOT));
        }
        if (kind == Kind.SEPARATOR || kind == Kind.RECURSIVE || kind == Kind.TOKEN) {
            m.put("strip_whitespace", Boolean.toString(stripWhitespace));
        }
        if (kind != Kind.CHARACTER && kind != Kind.TOKEN) {
            m.put("length", length.id());
        }
        if (length == Unit.TOKENS) {
            m.put("encoding", encoding);
        }
        return m;
    }

    /**
     * Reads the form {@link #toMap()} writes. A key this version does not know is an error (a newer
     * version recorded a setting it cannot honour), as is a value it cannot parse.
     */
    public static SplitterSpec fromMap(Map<String, String> map) {
        Builder b = builder(Kind.fromId(map.get("kind")));
        for (Map.Entry<String, String> e : map.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "kind" -> { }
                case "chunk_size" -> b.chunkSize(parseInt("chunkSize", v));
                case "chunk_overlap" -> b.chunkOverlap(parseInt("chunkOverlap", v));
                case "separators" -> b.separators(parseList(v));
                case "separator_regex" -> b.separatorRegex(parseBoolean("separatorRegex", v));
                case "keep_separator" -> b.keepSeparator(byId(KeepSeparator.values(), v, "keepSeparator"));
                case "strip_whitespace" -> b.stripWhitespace(parseBoolean("stripWhitespace", v));
                case "length" -> b.length(Unit.fromId(v));
                case "encoding" -> b.encoding(v);
                default -> throw new ValidationException("splitter." + e.getKey(), v,
                        "is not a splitter setting this version knows; use the version that built the index or re-ingest");
            }
        }
        return b.build();
    }

    private static int parseInt(String field, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ValidationException(field, v, "must be a whole number");
        }
    }

    private static boolean parseBoolean(String field, String v) {
        if ("true".equals(v) || "false".equals(v)) {
            return Boolean.parseBoolean(v);
        }
        throw new ValidationException(field, v, "must be true or false");
    }

    private static List<String> parseList(String json) {
        try {
            List<String> list = JSON.readValue(json, new TypeReference<List<String>>() { });
            if (list == null || list.contains(null)) {
                throw new ValidationException("separators", json, "must be a JSON array of strings");
            }
            return list;
        } catch (JsonProcessingException e) {
            throw new ValidationException("separators", json, "must be a JSON array of strings (" + e.getOriginalMessage() + ")");
        }
    }

    /** The constant whose lower-case name is {@code id}, or a ValidationException listing them. */
    private static <E extends Enum<E>> E byId(E[] values, String id, String field) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return e;
            }
        }
        throw new ValidationException(field, id, "must be one of " + ids(values));
    }

    private static String ids(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /**
     * Collects settings; a setting not given takes the kind's default. Not thread-safe. Field names in
     * errors are the builder's method names ({@code chunkOverlap}, {@code separators}, ...).
     */
    public static final class Builder {
        private final Kind kind;
        private Integer chunkSize;
        private Integer chunkOverlap;
        private List<String> separators;
        private Boolean separatorRegex;
        private KeepSeparator keepSeparator;
        private Boolean stripWhitespace;
        private Unit length;
        private String encoding;

        private Builder(Kind kind) {
            if (kind == null) {
                throw new ValidationException("splitter", null, "must be one of " + ids(Kind.values()));
            }
            this.kind = kind;
        }

        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** Separator and recursive splitters; the separator splitter takes exactly one. */
        public Builder separators(List<String> separators) {
            this.separators = separators;
            return this;
        }

        public Builder separatorRegex(boolean separatorRegex) {
            this.separatorRegex = separatorRegex;
            return this;
        }

        public Builder keepSeparator(KeepSeparator keepSeparator) {
            this.keepSeparator = keepSeparator;
            return this;
        }

        public Builder stripWhitespace(boolean stripWhitespace) {
            this.stripWhitespace = stripWhitespace;
            return this;
        }

        public Builder length(Unit length) {
            this.length = length;
            return this;
        }

        /** Token encoding: the token splitter's, or the unit of {@link Unit#TOKENS}. */
        public Builder encoding(String encoding) {
            this.encoding = encoding;
            return this;
        }

        private Builder lengthFunction(LengthFunction function) {
            if (function instanceof LengthFunction.Tokens t) {
                return length(Unit.TOKENS).encoding(t.encoding().getName());
            }
            return length(Unit.CHARS);
        }

        /**
         * Resolves the defaults and checks the settings by building the splitter once.
         *
         * @throws ValidationException naming the setting, for a value the splitter rejects or a setting
         *                             the kind would ignore
         */
        public SplitterSpec build() {
            boolean merging = kind == Kind.SEPARATOR || kind == Kind.RECURSIVE;
            onlyFor("separators", separators, Kind.SEPARATOR, Kind.RECURSIVE);
            onlyFor("separatorRegex", separatorRegex, Kind.SEPARATOR, Kind.RECURSIVE);
            onlyFor("keepSeparator", keepSeparator, Kind.SEPARATOR, Kind.RECURSIVE);
            onlyFor("stripWhitespace", stripWhitespace, Kind.SEPARATOR, Kind.RECURSIVE, Kind.TOKEN);
            onlyFor("length", length == Unit.TOKENS ? length : null, Kind.SEPARATOR, Kind.RECURSIVE, Kind.SENTENCE, Kind.TOKEN);
            onlyFor("length", length == Unit.CHARS ? length : null, Kind.CHARACTER, Kind.SEPARATOR, Kind.RECURSIVE, Kind.SENTENCE);
            Unit unit = kind == Kind.TOKEN ? Unit.TOKENS : length == null ? Unit.CHARS : length;
            if (encoding != null && unit != Unit.TOKENS) {
                throw new ValidationException("encoding", encoding,
                        "applies only to the token splitter or a token length; it would be ignored by the " + kind.id()
                                + " splitter measuring code points");
            }
            String enc = unit == Unit.TOKENS ? LengthFunction.TokenEncodings.get(
                    encoding == null ? TokenSplitter.DEFAULT_ENCODING : encoding).getName() : "";
            int size = chunkSize == null ? DEFAULT_CHUNK_SIZE : chunkSize;
            if (size < 1) {
                throw new ValidationException("chunkSize", size, "must be at least 1");
            }
            int overlap = chunkOverlap == null ? ChunkOverlap.defaultFor(size) : chunkOverlap;
            if (overlap < 0) {
                throw new ValidationException("chunkOverlap", overlap, "must be at least 0");
            }
            List<String> seps = List.of();
            if (kind == Kind.SEPARATOR) {
                seps = separators == null ? List.of(SeparatorSplitter.DEFAULT_SEPARATOR) : separators;
                if (seps.size() != 1) {
                    throw new ValidationException("separators", seps, "the separator splitter takes exactly one separator");
                }
            } else if (kind == Kind.RECURSIVE) {
                seps = separators == null ? RecursiveSplitter.DEFAULT_SEPARATORS : new ArrayList<>(separators);
            }
            KeepSeparator keep = !merging ? KeepSeparator.NONE : keepSeparator != null ? keepSeparator
                    : kind == Kind.SEPARATOR ? KeepSeparator.NONE : KeepSeparator.START;
            boolean strip = stripWhitespace != null ? stripWhitespace : merging; // token: off, as LangChain
            SplitterSpec spec = new SplitterSpec(kind, size, overlap, seps, merging && Boolean.TRUE.equals(separatorRegex),
                    keep, strip, unit, enc);
            spec.create(); // the splitter's own rules (overlap below size, valid regexes, ...)
            return spec;
        }

        private void onlyFor(String field, Object value, Kind... kinds) {
            if (value == null || Arrays.asList(kinds).contains(kind)) {
                return;
            }
            throw new ValidationException(field, value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : value,
                    "applies only to the " + ids(kinds).replace(", ", "|") + " splitter, not " + kind.id());
        }
    }
}
