package dev.parallelrag.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code maxInFlight()} is what tests check a client's concurrency bound with, so it must never read more than
 * the client really held: a client with two requests at a time sends its next one the moment an answer
 * arrives, before the server's handler thread has finished with the answered one.
 */
class InFlightTest {

    @Test
    void twoClientsThatEachWaitForTheirAnswerAreNeverCountedAsThree() throws Exception {
        try (FakeProviderServer s = FakeProviderServer.builder().start();
                ExecutorService clients = Executors.newFixedThreadPool(2)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int client = c;
                loops.add(clients.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        assertThat(FaultTest.chat(s, "client " + client + " request " + i).statusCode()).isEqualTo(200);
                    }
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
            assertThat(s.requestCount()).isEqualTo(600);
            assertThat(s.maxInFlight()).isBetween(1, 2);
            assertThat(s.inFlight()).isZero();
        }
    }
}
