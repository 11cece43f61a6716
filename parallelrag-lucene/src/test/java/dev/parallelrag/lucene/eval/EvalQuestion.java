package dev.parallelrag.lucene.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One question of the retrieval evaluation: the file that answers it and an exact substring of
 * that file marking the answer passage.
 */
public record EvalQuestion(String source, String answer, String question) {

    /** Reads the TSV test resource (comment lines start with {@code #}). */
    public static List<EvalQuestion> load(String resource) {
        try (InputStream in = EvalQuestion.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            List<EvalQuestion> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new IllegalStateException("expected source<TAB>answer<TAB>question: " + line);
                }
                out.add(new EvalQuestion(f[0].strip(), f[1].strip(), f[2].strip()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
