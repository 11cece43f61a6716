package dev.parallelrag.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentTest {

    @Test
    void blankIdIsRejectedWithFieldName() {
        assertThatThrownBy(() -> new Document(" ", "text"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("document.id");
    }

    @Test
    void metadataIsCopiedDefensively() {
        var meta = new java.util.HashMap<String, String>(Map.of("k", "v"));
        Document doc = new Document("a", "text", meta);
        meta.put("k2", "v2");
        assertThat(doc.metadata()).containsOnlyKeys("k");
    }

    @Test
    void chunkRejectsTextThatDoesNotMatchOffsets() {
        assertThatThrownBy(() -> new Chunk("a", 0, 0, 3, "ab", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
