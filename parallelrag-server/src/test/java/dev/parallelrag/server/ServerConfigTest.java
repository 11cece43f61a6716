package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.server.auth.ApiKeys;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsAreLoopbackPort8080AndTheDocumentedLimits() {
        ServerConfig c = ServerConfig.defaults();

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.managementPort()).isEmpty();
        assertThat(c.maxJsonBodyBytes()).isEqualTo(1L << 20);
        assertThat(c.maxUploadBytes()).isEqualTo(256L << 20);
        assertThat(c.sseHeartbeat()).isEqualTo(Duration.ofSeconds(10)).isLessThan(Duration.ofSeconds(15));
        assertThat(c.warmUp()).isTrue();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        ServerConfig c = ServerConfig.builder().host("localhost").port(0).managementPort(9090).maxJsonBodyBytes(10)
                .maxUploadBytes(20).sseHeartbeat(Duration.ofMillis(50)).warmUp(false).build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().noManagementPort().build().managementPort()).isEmpty();
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertField(ServerConfig.builder().host(" "), "host");
        assertField(ServerConfig.builder().host(null), "host");
        assertField(ServerConfig.builder().port(-1), "port");
        assertField(ServerConfig.builder().port(65536), "port");
        assertField(ServerConfig.builder().managementPort(70000), "managementPort");
        assertField(ServerConfig.builder().port(9000).managementPort(9000), "managementPort");
        assertField(ServerConfig.builder().maxJsonBodyBytes(0), "maxJsonBodyBytes");
        assertField(ServerConfig.builder().maxUploadBytes(-5), "maxUploadBytes");
        assertField(ServerConfig.builder().sseHeartbeat(Duration.ZERO), "sseHeartbeat");
        assertField(ServerConfig.builder().sseHeartbeat(Duration.ofMinutes(6)), "sseHeartbeat");
        assertField(ServerConfig.builder().sseHeartbeat(null), "sseHeartbeat");
        assertField(ServerConfig.builder().ingestJobs(null), "ingestJobs");
        assertThatThrownBy(() -> new ServerConfig("127.0.0.1", 1, null, ApiKeys.none(), 1, 1, Duration.ofSeconds(1), true,
                dev.parallelrag.jobs.IngestJobsConfig.defaults()))
                .isInstanceOf(ValidationException.class).extracting(e -> ((ValidationException) e).field())
                .isEqualTo("managementPort");
    }

    @Test
    void twoEphemeralPortsAreNotTheSamePort() {
        assertThat(ServerConfig.builder().port(0).managementPort(0).build().managementPort()).isEqualTo(OptionalInt.of(0));
    }

    private static void assertField(ServerConfig.Builder builder, String field) {
        assertThatThrownBy(builder::build).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field))
                .hasMessageContaining(field);
    }
}
