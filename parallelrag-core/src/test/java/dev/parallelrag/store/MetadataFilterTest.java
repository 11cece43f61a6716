package dev.parallelrag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataFilterTest {

    private final StoredChunk chunk = new StoredChunk("id", "doc", "a/b.txt", 0, 4, "text", "h1", "m1",
            Map.of("lang", "en"), new float[] {1, 0});

    @Test
    void builtInKeysResolveToChunkFieldsAndOthersToMetadata() {
        assertThat(MetadataFilter.documentId("doc").test(chunk)).isTrue();
        assertThat(MetadataFilter.eq(MetadataFilter.SOURCE, "a/b.txt").test(chunk)).isTrue();
        assertThat(MetadataFilter.eq(MetadataFilter.MODEL_ID, "m2").test(chunk)).isFalse();
        assertThat(MetadataFilter.eq("lang", "en").test(chunk)).isTrue();
        assertThat(MetadataFilter.anyOf("lang", Set.of("de", "fr")).test(chunk)).isFalse();
        assertThat(MetadataFilter.eq("missing", "x").test(chunk)).isFalse();
        assertThat(MetadataFilter.eq("missing", "x").negate().test(chunk)).isTrue();
    }

    @Test
    void combinatorsFollowBooleanLogic() {
        MetadataFilter yes = MetadataFilter.eq("lang", "en");
        MetadataFilter no = MetadataFilter.eq("lang", "de");

        assertThat(yes.and(no).test(chunk)).isFalse();
        assertThat(yes.or(no).test(chunk)).isTrue();
        assertThat(MetadataFilter.all().test(chunk)).isTrue();
    }

    @Test
    void rejectsUnknownBuiltInsAndEmptyInput() {
        assertThatThrownBy(() -> MetadataFilter.eq("$path", "x"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("$document_id");
        assertThatThrownBy(() -> MetadataFilter.anyOf("k", Set.of())).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> MetadataFilter.eq("k", null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> MetadataFilter.eq("", "v")).isInstanceOf(ValidationException.class);
    }
}
