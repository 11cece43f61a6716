package dev.parallelrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The successful lines of an earlier run's output ({@code --retry-failed FILE}): an input item whose id has one is
 * not run again, and that line is written again as it was. Every other item runs: those that failed, were not run
 * because the run was stopped ({@code "kind": "interrupted"}), or are missing from the file. So an interrupted or
 * partly failed run followed by a retry gives the output of one complete run: each id once, in input order.
 *
 * <p>A file may hold an id more than once (outputs concatenated): a success on any of its lines counts.
 */
final class PreviousResults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PreviousResults NONE = new PreviousResults(Map.of());

    private final Map<JsonNode, String> answered;

    private PreviousResults(Map<JsonNode, String> answered) {
        this.answered = answered;
    }

    /** Nothing to reuse: every item runs. */
    static PreviousResults none() {
        return NONE;
    }

    /**
     * Reads a previous output of the same command; {@code resultField} is what a success line holds ({@code text}
     * for complete, {@code embedding} for embed). The input's ids must be unique, since they match the lines.
     *
     * @throws ValidationException naming {@code --retry-failed} when the file cannot be read or used
     */
    static PreviousResults read(Path file, String resultField, List<InputItem> input) {
        refuseOwnOutput(file);
        requireUniqueIds(input);
        Map<JsonNode, String> answered = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(file, number, line);
                if (node.has("error")) {
                    continue;
                }
                if (!node.has("id") || !node.has(resultField)) {
                    throw invalid(file, "line " + number + " has neither \"" + resultField + "\" nor \"error\"; give the"
                            + " output of the same command");
                }
                answered.putIfAbsent(node.get("id"), line);
            }
        } catch (NoSuchFileException e) {
            throw invalid(file, "does not exist");
        } catch (IOException e) {
            throw invalid(file, "cannot be read (" + e.getMessage() + ")");
        }
        return new PreviousResults(answered);
    }

    /** The line to write again for this item, or null when it runs. */
    String answer(InputItem item) {
        return answered.get(item.id());
    }

    private static JsonNode parse(Path file, int number, String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw invalid(file, "line " + number + " is not a JSON result line; give the output of an earlier run");
    }

    private static void requireUniqueIds(List<InputItem> input) {
        Map<JsonNode, Integer> seen = new HashMap<>();
        for (int i = 0; i < input.size(); i++) {
            Integer first = seen.putIfAbsent(input.get(i).id(), i + 1);
            if (first != null) {
                throw new ValidationException("--retry-failed", "id " + input.get(i).id(), "needs an input whose ids are"
                        + " unique, to match earlier results to items, but lines " + first + " and " + (i + 1)
                        + " have this id; give every line its own id");
            }
        }
    }

    /** {@code cmd --retry-failed out.jsonl > out.jsonl}: the shell emptied the file before the run could read it. */
    private static void refuseOwnOutput(Path file) {
        Path stdout = Path.of("/dev/stdout");
        try {
            if (Files.exists(file) && Files.exists(stdout) && Files.isSameFile(file, stdout)) {
                throw invalid(file, "is also this run's output; write the output to another file (and move it"
                        + " afterwards)");
            }
        } catch (IOException e) {
            // stdout is not a file that can be compared: it cannot be this one
        }
    }

    private static ValidationException invalid(Path file, String problem) {
        return new ValidationException("--retry-failed", file.toString(), problem);
    }
}
