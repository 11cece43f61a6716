package dev.parallelrag.split;

/**
 * Static factories for the common splitters, with sizes in code points unless a length function is
 * given. For every other option use the splitter's builder.
 */
public final class Splitters {

    private Splitters() {
    }

    /** Sliding window of {@code chunkSize} code points that cuts after whitespace; see {@link CharacterSplitter}. */
    public static CharacterSplitter character(int chunkSize, int chunkOverlap) {
        return CharacterSplitter.of(chunkSize, chunkOverlap);
    }

    /** LangChain's {@code CharacterTextSplitter} on a literal separator; see {@link SeparatorSplitter}. */
    public static SeparatorSplitter separator(String separator, int chunkSize, int chunkOverlap) {
        return SeparatorSplitter.builder().separator(separator).chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    /** LangChain's {@code RecursiveCharacterTextSplitter} with its default separators; see {@link RecursiveSplitter}. */
    public static RecursiveSplitter recursive(int chunkSize, int chunkOverlap) {
        return RecursiveSplitter.of(chunkSize, chunkOverlap);
    }

    /** As {@link #recursive(int, int)}, measuring with {@code length} (e.g. {@link LengthFunction#tokens(String)}). */
    public static RecursiveSplitter recursive(int chunkSize, int chunkOverlap, LengthFunction length) {
        return RecursiveSplitter.builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).lengthFunction(length).build();
    }

    /** LangChain's {@code RecursiveCharacterTextSplitter.from_language}: the language's separators as regexes. */
    public static RecursiveSplitter recursive(Language language, int chunkSize, int chunkOverlap) {
        return RecursiveSplitter.forLanguage(language).chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    /** BPE token windows of {@code cl100k_base} tokens, as LangChain's {@code TokenTextSplitter}; see {@link TokenSplitter}. */
    public static TokenSplitter token(int chunkSize, int chunkOverlap) {
        return TokenSplitter.of(chunkSize, chunkOverlap);
    }

    /** As {@link #token(int, int)} with another encoding ({@code o200k_base}, {@code p50k_base}, {@code r50k_base}). */
    public static TokenSplitter token(String encoding, int chunkSize, int chunkOverlap) {
        return TokenSplitter.builder().encoding(encoding).chunkSize(chunkSize).chunkOverlap(chunkOverlap).build();
    }

    /** Whole sentences (ICU4J) packed up to {@code chunkSize} code points; see {@link SentenceSplitter}. */
    public static SentenceSplitter sentence(int chunkSize, int chunkOverlap) {
        return SentenceSplitter.of(chunkSize, chunkOverlap);
    }

    /** As {@link #sentence(int, int)}, measuring with {@code length} (e.g. {@link LengthFunction#tokens(String)}). */
    public static SentenceSplitter sentence(int chunkSize, int chunkOverlap, LengthFunction length) {
        return SentenceSplitter.builder().chunkSize(chunkSize).chunkOverlap(chunkOverlap).lengthFunction(length).build();
    }

    /** A separator as a Java string literal, for toString output ({@code "\n\n"}). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
