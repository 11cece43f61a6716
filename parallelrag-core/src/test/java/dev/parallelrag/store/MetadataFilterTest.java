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

    @Test
    void matchingIsOneConditionPerKeyAndAnyOfItsValues() {
        assertThat(MetadataFilter.matching(Map.of())).isEqualTo(MetadataFilter.all());
        assertThat(MetadataFilter.matching(Map.of("lang", java.util.List.of("en")))).isEqualTo(MetadataFilter.eq("lang", "en"));
        MetadataFilter either = MetadataFilter.matching(Map.of("lang", java.util.List.of("de", "en")));
        assertThat(either).isEqualTo(MetadataFilter.anyOf("lang", Set.of("de", "en")));
        assertThat(either.test(chunk)).isTrue();
        java.util.Map<String, java.util.List<String>> both = new java.util.LinkedHashMap<>();
        both.put("lang", java.util.List.of("en"));
        both.put(MetadataFilter.SOURCE, java.util.List.of("other.txt"));
        assertThat(MetadataFilter.matching(both).test(chunk)).isFalse(); // every key must match
        both.put(MetadataFilter.SOURCE, java.util.List.of("other.txt", "a/b.txt"));
        assertThat(MetadataFilter.matching(both).test(chunk)).isTrue();
        assertThatThrownBy(() -> MetadataFilter.matching(Map.of("lang", java.util.List.of())))
                .isInstanceOf(ValidationException.class).hasMessageContaining("filter.lang");
        assertThatThrownBy(() -> MetadataFilter.matching(Map.of("$nope", java.util.List.of("x"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("built-in");
    }
}
