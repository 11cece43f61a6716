package dev.parallelrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sizes' values, what overrides them and what is refused. That each value takes effect in an engine is shown at
 * run time by {@code EngineSizingTest} (parallelrag-server's tests, where a store and a remote provider are at hand).
 */
class SizingTest {

    @Test
    void eachSizeMapsTheSeedsWorkersAndBlockingThreadsOntoTheRuntime() {
        assertThat(DeploymentSize.SMALL.sizing()).isEqualTo(new Sizing(Optional.of(DeploymentSize.SMALL), 4, 8, 6, 8));
        assertThat(DeploymentSize.MEDIUM.sizing()).isEqualTo(new Sizing(Optional.of(DeploymentSize.MEDIUM), 16, 32, 24, 32));
        assertThat(DeploymentSize.LARGE.sizing()).isEqualTo(new Sizing(Optional.of(DeploymentSize.LARGE), 32, 64, 48, 64));
    }

    @Test
    void theDefaultIsSizedFromTheMachineAndLeavesIoToTheProviderAndTheEmbedder() {
        int cores = Runtime.getRuntime().availableProcessors();

        Sizing machine = Sizing.machine();

        assertThat(machine.cpuPoolSize()).isEqualTo(cores);
        assertThat(machine.documentWindow()).isEqualTo(2 * cores);
        assertThat(machine.ioConcurrency()).isZero();
        assertThat(machine.embedConcurrency()).isZero();
        assertThat(machine.size()).isEmpty();
        assertThat(machine.details()).containsEntry("size", "machine").containsEntry("cpu_pool_size", cores);
        assertThat(Sizing.builder().build()).isEqualTo(machine);
    }

    @Test
    void aValueSetExplicitlyWinsOverThePresetAndTheRestStay() {
        Sizing sizing = Sizing.builder(DeploymentSize.MEDIUM).cpuPoolSize(3).documentWindow(5).build();

        assertThat(sizing).isEqualTo(new Sizing(Optional.of(DeploymentSize.MEDIUM), 3, 32, 24, 5));
    }

    @Test
    void anOutOfRangeValueIsRefusedNamingTheSettingAndTheRange() {
        assertRefused(() -> Sizing.builder(DeploymentSize.SMALL).cpuPoolSize(0).build(), "cpuPoolSize", "between 1 and 1024");
        assertRefused(() -> Sizing.builder(DeploymentSize.SMALL).cpuPoolSize(1025).build(), "cpuPoolSize", "between 1 and 1024");
        assertRefused(() -> Sizing.builder().ioConcurrency(-1).build(), "ioConcurrency", "or 0 for the provider's own bound");
        assertRefused(() -> Sizing.builder().embedConcurrency(1001).build(), "embedConcurrency", "between 1 and 1000");
        assertRefused(() -> Sizing.builder().documentWindow(0).build(), "documentWindow", "between 1 and 10000");
        assertRefused(() -> Sizing.of(null), "size", "one of small, medium, large");
    }

    @Test
    void moreEmbeddingCallsThanIoPermitsIsAConflictWithTheFix() {
        assertRefused(() -> Sizing.builder(DeploymentSize.SMALL).embedConcurrency(9).build(), "embedConcurrency",
                "is more than ioConcurrency (8)");
        assertRefused(() -> Sizing.builder(DeploymentSize.MEDIUM).ioConcurrency(20).build(), "embedConcurrency",
                "set embedConcurrency to at most 20 or raise ioConcurrency");

        assertThat(Sizing.builder(DeploymentSize.SMALL).embedConcurrency(9).ioConcurrency(9).build().embedConcurrency())
                .isEqualTo(9);
        assertThat(Sizing.builder().embedConcurrency(9).build().embedConcurrency())
                .as("with the provider's own bound there is nothing to compare with").isEqualTo(9);
    }

    private static void assertRefused(Runnable build, String field, String rule) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(rule);
        });
    }
}
