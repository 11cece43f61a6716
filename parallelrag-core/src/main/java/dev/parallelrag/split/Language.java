package dev.parallelrag.split;

import java.util.List;

/**
 * Separator presets for {@link RecursiveSplitter}, the lists LangChain's
 * {@code RecursiveCharacterTextSplitter.from_language} uses. They are regular expressions (LangChain
 * sets {@code is_separator_regex=True} for every language); most are plain text.
 */
public enum Language {
    /** Headings, end of code blocks, horizontal rules, then paragraphs, lines, words, code points. */
    MARKDOWN(List.of("\n#{1,6} ", "```\n", "\n\\*\\*\\*+\n", "\n---+\n", "\n___+\n", "\n\n", "\n", " ", "")),
    /** Classes, members by modifier, control flow, then paragraphs, lines, words, code points. */
    JAVA(List.of("\nclass ", "\npublic ", "\nprotected ", "\nprivate ", "\nstatic ", "\nif ", "\nfor ", "\nwhile ",
            "\nswitch ", "\ncase ", "\n\n", "\n", " ", "")),
    /** Classes, functions, methods, then paragraphs, lines, words, code points. */
    PYTHON(List.of("\nclass ", "\ndef ", "\n\tdef ", "\n\n", "\n", " ", ""));

    private final List<String> separators;

    Language(List<String> separators) {
        this.separators = separators;
    }

    /** The separators, most significant first, as regular expressions. */
    public List<String> separators() {
        return separators;
    }
}
