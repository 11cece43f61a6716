package dev.parallelrag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ValidationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreLocationTest {

    @Test
    void aDirectoryIsNamedByItsAbsolutePath() {
        StoreLocation location = StoreLocation.directory(Path.of("idx"));

        assertThat(location.kind()).isNull();
        assertThat(location.path()).isEqualTo(Path.of("idx"));
        assertThat(location).hasToString(Path.of("idx").toAbsolutePath().normalize().toString());
    }

    @Test
    void toStringShowsNeitherTheQueryStringNorUserInformationNorThePasswordSetting() {
        StoreLocation location = StoreLocation.of("pgvector",
                "jdbc:postgresql://rag:hunter2@db:5432/rag?user=rag&password=s3cret",
                Map.of("table", "chunks", StoreLocation.PASSWORD, "other-secret"));

        assertThat(location.toString()).isEqualTo("pgvector jdbc:postgresql://db:5432/rag table chunks")
                .doesNotContain("hunter2").doesNotContain("s3cret").doesNotContain("other-secret");
    }

    @Test
    void aDirectoryNeedsAnAddressAndAKindMustNotBeBlank() {
        assertThatThrownBy(() -> new StoreLocation(null, null, Map.of())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("location");
        assertThatThrownBy(() -> StoreLocation.of(" ", "x", Map.of())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("store");
    }

    @Test
    void anEngineOfAnUnknownKindIsRefusedNamingTheKindsOnTheClassPath() {
        // core's own tests have no store plug-in on the class path
        assertThatThrownBy(() -> ParallelRag.builder(StoreLocation.of("nope", "x", Map.of())).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("store");
                    assertThat(e.getMessage()).contains("nope").contains("parallelrag-lucene or parallelrag-pgvector");
                });
    }
}
