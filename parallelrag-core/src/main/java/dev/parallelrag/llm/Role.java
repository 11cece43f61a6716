package dev.parallelrag.llm;

import java.util.Locale;

/** Who said a chat message. */
public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** Lower-case wire name: {@code system}, {@code user}, {@code assistant}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
