package dev.parallelrag.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One input line: its id (the JSONL {@code id}, or the 1-based line number for plain text or when the object
 * has none), its text, or the reason the line cannot be used (reported as that item's validation error).
 */
record InputItem(JsonNode id, String text, String problem) {

    boolean valid() {
        return problem == null;
    }
}
