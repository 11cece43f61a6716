package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.parallelrag.split.StreamedChunk;
import java.io.IOException;
import java.io.Writer;

/** Writes chunks to the command's output in one of the {@code split} formats. Not thread-safe. */
sealed interface ChunkWriter extends AutoCloseable permits ChunkWriter.Jsonl, ChunkWriter.Text {

    enum Format { jsonl, text }

    void write(StreamedChunk chunk) throws IOException;

    /** Flushes buffered output; the underlying writer stays open. */
    @Override
    void close() throws IOException;

    static ChunkWriter create(Format format, Writer out) throws IOException {
        return format == Format.jsonl ? new Jsonl(out) : new Text(out);
    }

    /**
     * One JSON object per line: {@code {"source":..,"index":..,"start":..,"end":..,"text":..}} with
     * code-point offsets. Jackson escapes quotes, backslashes and control characters; other characters
     * are written as they are (the output is UTF-8).
     */
    final class Jsonl implements ChunkWriter {
        private static final JsonFactory FACTORY = new JsonFactoryBuilder()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                .rootValueSeparator((String) null)
                .build();
        private final Writer out;
        private final JsonGenerator json;

        Jsonl(Writer out) throws IOException {
            this.out = out;
            this.json = FACTORY.createGenerator(out);
        }

        @Override
        public void write(StreamedChunk c) throws IOException {
            json.writeStartObject();
            json.writeStringField("source", c.sourceId());
            json.writeNumberField("index", c.index());
            json.writeNumberField("start", c.codePointStart());
            json.writeNumberField("end", c.codePointEnd());
            json.writeStringField("text", c.text());
            json.writeEndObject();
            json.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            json.close(); // writes out Jackson's buffer; AUTO_CLOSE_TARGET is off
            out.flush();
        }
    }

    /** For people: a header line {@code ==> source #index [start, end) <==} (code points), then the text. */
    final class Text implements ChunkWriter {
        private final Writer out;

        Text(Writer out) {
            this.out = out;
        }

        @Override
        public void write(StreamedChunk c) throws IOException {
            out.write("==> " + c.sourceId() + " #" + c.index() + " [" + c.codePointStart() + ", " + c.codePointEnd() + ") <==\n");
            out.write(c.text());
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
