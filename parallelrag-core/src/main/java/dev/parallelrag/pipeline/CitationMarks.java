package dev.parallelrag.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source numbers a generated answer cites: {@code [n]}, runs such as {@code [2][3]}, and lists such as
 * {@code [1, 3]}, the forms the system prompt asks for and models write. A bracket right after a letter, digit,
 * {@code _}, {@code )} or {@code ]} is an index in quoted code ({@code args[0]}, {@code m[1][2]}), not a citation.
 */
final class CitationMarks {

    private static final Pattern RUN = Pattern.compile("(?<![\\p{L}\\p{N}_)\\]])((?:\\[\\s*\\d{1,9}(?:\\s*,\\s*\\d{1,9})*\\s*\\])+)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private CitationMarks() {
    }

    /** The distinct numbers {@code text} cites, in the order they first appear. */
    static List<Integer> numbers(String text) {
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher run = RUN.matcher(text);
        while (run.find()) {
            Matcher n = NUMBER.matcher(run.group(1));
            while (n.find()) {
                numbers.add(Integer.parseInt(n.group()));
            }
        }
        return new ArrayList<>(numbers);
    }
}
