package dev.parallelrag.read;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown files. The text is kept as written (markup included) so that chunk offsets and line
 * ranges point at the source file; pair it with the Markdown preset of the recursive splitter to cut
 * at headings. The first level-1 ATX heading ({@code # Title}) becomes the {@code title} metadata.
 */
public class MarkdownReader extends PlainTextReader {

    private static final Set<String> EXTENSIONS = Set.of("md", "markdown", "mdown", "mkd");
    private static final Pattern TITLE = Pattern.compile("(?m)^ {0,3}# +(.+?)(?: +#+)? *$");

    public MarkdownReader() {
        super();
    }

    public MarkdownReader(long maxBytes) {
        super(maxBytes);
    }

    @Override
    public String name() {
        return "markdown";
    }

    @Override
    public Set<String> extensions() {
        return EXTENSIONS;
    }

    @Override
    protected Map<String, String> metadata(String text) {
        Map<String, String> metadata = new HashMap<>(super.metadata(text));
        Matcher m = TITLE.matcher(text);
        if (m.find()) {
            metadata.put("title", m.group(1).strip());
        }
        return metadata;
    }
}
