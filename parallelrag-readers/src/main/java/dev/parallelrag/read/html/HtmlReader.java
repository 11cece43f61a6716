package dev.parallelrag.read.html;

import dev.parallelrag.model.Document;
import dev.parallelrag.read.DocumentReadException;
import dev.parallelrag.read.DocumentReadException.Problem;
import dev.parallelrag.read.DocumentReader;
import dev.parallelrag.read.SourceFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;

/**
 * HTML files: the visible text, extracted with jsoup. Block elements become line breaks and
 * paragraphs become blank-line-separated, so splitters still see the structure; scripts, styles and
 * other non-content elements are dropped. The character set comes from the BOM or the document's
 * {@code <meta charset>} (UTF-8 when none is declared). Chunk offsets index into the extracted text,
 * not the markup. The {@code <title>} becomes the {@code title} metadata.
 */
public class HtmlReader implements DocumentReader {

    private static final Set<String> EXTENSIONS = Set.of("html", "htm", "xhtml");

    @Override
    public String name() {
        return "html";
    }

    @Override
    public Set<String> extensions() {
        return EXTENSIONS;
    }

    @Override
    public Document read(Path path, String documentId) {
        byte[] bytes = SourceFiles.readBytes(path);
        SourceFiles.checkNotBinary(path, bytes);
        org.jsoup.nodes.Document html;
        try {
            html = Jsoup.parse(new ByteArrayInputStream(bytes), null, "");
        } catch (IOException | RuntimeException e) {
            throw new DocumentReadException(path, Problem.PARSE_FAILED,
                    "cannot parse HTML: " + e.getMessage() + "; check that it is an HTML file", e);
        }
        Map<String, String> metadata = new HashMap<>();
        metadata.put("format", name());
        String title = html.title().strip();
        if (!title.isEmpty()) {
            metadata.put("title", title);
        }
        String text = HtmlText.extract(html.body() != null ? html.body() : html);
        return new Document(documentId, text, metadata);
    }
}
