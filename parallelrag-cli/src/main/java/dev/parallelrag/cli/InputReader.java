package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code complete}/{@code embed} input: JSONL ({@code {"id": ..., "<field>": ...}}) or plain text, one
 * item per line, decided line by line (a line starting with '{' is JSON). Every line becomes an item, so output
 * lines match input lines one to one; a blank line or a JSON line without the text field is an item whose
 * problem is reported as a validation error, never dropped.
 */
final class InputReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private InputReader() {
    }

    /** Reads {@code source} ("-" or null for stdin). */
    static List<InputItem> read(String source, InputStream stdin, String textField) throws IOException {
        if (source == null || source.equals("-")) {
            return read(stdin, textField);
        }
        Path path = Path.of(source);
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, textField);
        } catch (NoSuchFileException e) {
            throw new IOException("input file " + source + " does not exist");
        }
    }

    static List<InputItem> read(InputStream in, String textField) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<InputItem> items = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = readLine(reader, number + 1)) != null) {
            number++;
            if (number == 1 && line.startsWith(BYTE_ORDER_MARK)) {
                // editors on Windows start UTF-8 files with one; it is not part of the first item
                line = line.substring(1);
            }
            items.add(parse(line, number, textField));
        }
        return items;
    }

    private static String readLine(BufferedReader reader, int number) throws IOException {
        try {
            return reader.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("input line " + number + " is not valid UTF-8", e);
        }
    }

    static InputItem parse(String line, int number, String textField) {
        IntNode lineId = IntNode.valueOf(number);
        String trimmed = line.strip();
        if (!trimmed.startsWith("{")) {
            return trimmed.isEmpty()
                    ? new InputItem(lineId, line, "line " + number + " is blank; give it some text or remove it")
                    : new InputItem(lineId, line, null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (JsonProcessingException e) {
            return new InputItem(lineId, null, "line " + number + " starts with '{' but is not valid JSON: "
                    + e.getOriginalMessage());
        }
        JsonNode id = node.has("id") && !node.get("id").isNull() ? node.get("id") : lineId;
        JsonNode text = node.get(textField);
        if (text == null || !text.isTextual()) {
            return new InputItem(id, null, "line " + number + ": field \"" + textField
                    + "\" is missing or not a string; each JSONL object needs {\"id\": ..., \"" + textField
                    + "\": \"...\"}");
        }
        if (text.asText().isBlank()) {
            return new InputItem(id, text.asText(), "line " + number + ": \"" + textField
                    + "\" must not be empty or blank");
        }
        return new InputItem(id, text.asText(), null);
    }
}
