package dev.parallelrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        RuntimeConfig config = RuntimeConfig.defaults();
        assertThat(config.cpuPoolSize()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.cpuQueueCapacity()).isEqualTo(1024);
        assertThat(config.ioConcurrency()).isEqualTo(16);
        assertThat(config.threadNamePrefix()).isEqualTo("parallelrag");
    }

    @Test
    void builderKeepsEveryValue() {
        RuntimeConfig config = RuntimeConfig.builder().cpuPoolSize(3).cpuQueueCapacity(7).ioConcurrency(5)
                .threadNamePrefix("acme.rag_1").build();
        assertThat(config).isEqualTo(new RuntimeConfig(3, 7, 5, "acme.rag_1"));
        assertThat(config.toBuilder().ioConcurrency(9).build().ioConcurrency()).isEqualTo(9);
    }

    @Test
    void zeroCpuPoolSizeIsRejectedNamingFieldValueAndRule() {
        assertThatThrownBy(() -> RuntimeConfig.builder().cpuPoolSize(0).build())
                .isInstanceOf(ValidationException.class)
                .hasMessage("cpuPoolSize = 0: must be between 1 and 1024");
    }

    @Test
    void negativeIoConcurrencyIsRejected() {
        assertThatThrownBy(() -> RuntimeConfig.builder().ioConcurrency(-2).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("ioConcurrency = -2")
                .hasMessageContaining("between 1 and");
    }

    @Test
    void zeroQueueCapacityIsRejected() {
        assertThatThrownBy(() -> RuntimeConfig.builder().cpuQueueCapacity(0).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("cpuQueueCapacity");
    }

    @Test
    void blankOrOddThreadNamePrefixIsRejected() {
        for (String bad : new String[] {null, "", " ", "has space", "x".repeat(65), "a/b"}) {
            assertThatThrownBy(() -> RuntimeConfig.builder().threadNamePrefix(bad).build())
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("threadNamePrefix");
        }
    }
}
