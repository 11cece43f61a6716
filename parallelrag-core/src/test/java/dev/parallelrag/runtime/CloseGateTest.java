package dev.parallelrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ClosedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CloseGateTest {

    @Test
    void aClosedGateRefusesNewCallsWithItsMessage() {
        CloseGate gate = new CloseGate("model m is closed; load it again");
        assertThat(gate.close()).isTrue();
        assertThat(gate.close()).as("only the first close closes").isFalse();

        assertThatThrownBy(gate::enter).isInstanceOf(ClosedException.class).hasMessage("model m is closed; load it again");
        assertThat(gate.inside()).isZero();
    }

    @Test
    void closingWaitsForTheCallInsideAndLetsItFinish() throws Exception {
        CloseGate gate = new CloseGate("closed");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            gate.enter();
            try {
                entered.countDown();
                release.await();
                finished.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gate.exit();
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        gate.close();
        assertThat(gate.awaitIdle(Duration.ofMillis(50))).as("bounded: the call is still inside").isFalse();
        assertThat(gate.inside()).isOne();
        release.countDown();
        assertThat(gate.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(finished).as("the call inside finished its work").isTrue();
        caller.join();
    }

    @Test
    void exitWithoutEnterIsAnError() {
        assertThatThrownBy(() -> new CloseGate("closed").exit()).isInstanceOf(IllegalStateException.class);
    }
}
