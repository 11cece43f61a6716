package dev.parallelrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.StoppedException;
import dev.parallelrag.error.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stopped batch keeps what finished, starts nothing new, and cuts off what still runs after the grace. */
@Timeout(60)
class StopSignalTest {

    private final ParallelRuntime runtime = ParallelRuntime.create();

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void itemsRunningAtTheStopFinishAndTheOthersAreNotStarted() throws Exception {
        StopSignal stop = StopSignal.create();
        CountDownLatch running = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        @SuppressWarnings("unchecked")
        List<Outcome<Integer>>[] result = new List[1];
        Thread batch = Thread.ofVirtual().start(() -> result[0] = runtime.mapIo(items, 4, stop, i -> {
            running.countDown();
            release.await();
            return i * 10;
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        stop.stop();
        release.countDown();
        batch.join();

        List<Outcome<Integer>> outcomes = result[0];
        assertThat(outcomes).hasSize(20);
        for (int i = 0; i < 4; i++) { // the four workers took the first four items
            assertThat(outcomes.get(i)).isEqualTo(Outcome.success(i * 10));
        }
        assertThat(outcomes.subList(4, 20)).allSatisfy(o -> assertThat(((Outcome.Failure<Integer>) o).error())
                .isInstanceOf(StoppedException.class).hasMessageStartingWith("not run"));
    }

    @Test
    void anItemStillRunningWhenTheGraceRunsOutIsCutOffAndReportedAsStopped() throws Exception {
        StopSignal stop = StopSignal.withGrace(Duration.ofMillis(100));
        CountDownLatch running = new CountDownLatch(1);
        @SuppressWarnings("unchecked")
        List<Outcome<String>>[] result = new List[1];
        Thread batch = Thread.ofVirtual().start(() -> result[0] = runtime.mapIo(List.of("slow"), 1, stop, s -> {
            running.countDown();
            Thread.sleep(Duration.ofMinutes(5)); // an HTTP call that would outlast any grace
            return s;
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        stop.stop();
        batch.join();

        Throwable error = ((Outcome.Failure<String>) result[0].get(0)).error();
        assertThat(error).isInstanceOf(StoppedException.class).hasMessageStartingWith("cut off")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(stop.graceOver()).isTrue();
    }

    @Test
    void withoutAStopEveryItemRuns() {
        List<Outcome<Integer>> outcomes = runtime.mapIo(List.of(1, 2, 3), 2, StopSignal.create(), i -> i + 1);
        assertThat(outcomes).containsExactly(Outcome.success(2), Outcome.success(3), Outcome.success(4));
    }

    @Test
    void aStreamStopsPullingItsSourceAndStartsNothingAfterTheStop() {
        StopSignal stop = StopSignal.create();
        List<Integer> source = IntStream.range(0, 1000).boxed().toList();
        List<Outcome<Integer>> seen;
        try (var stream = runtime.streamIo(stop.untilStopped(source.iterator()), 1, stop, i -> {
            if (i == 3) {
                stop.stop();
            }
            return i;
        })) {
            seen = stream.toList();
        }
        assertThat(seen.subList(0, 4)).containsExactly(Outcome.success(0), Outcome.success(1), Outcome.success(2),
                Outcome.success(3));
        assertThat(seen.size()).isLessThan(10); // the window pulled ahead at most 2 x concurrency items
        assertThat(seen.subList(4, seen.size())).allMatch(o -> !o.isSuccess());
    }

    @Test
    void aGraceOutsideZeroToAnHourIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StopSignal.withGrace(Duration.ofSeconds(-1))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("stopGrace");
        assertThatThrownBy(() -> StopSignal.withGrace(Duration.ofMinutes(61))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> StopSignal.withGrace(null)).isInstanceOf(ValidationException.class);
        assertThat(StopSignal.withGrace(Duration.ZERO).grace()).isZero();
        assertThat(StopSignal.create().grace()).isEqualTo(StopSignal.DEFAULT_GRACE).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theSignalOfARunWithoutOneCannotBeStopped() {
        assertThatThrownBy(() -> StopSignal.never().stop()).isInstanceOf(IllegalStateException.class);
        assertThat(StopSignal.never().isStopped()).isFalse();
    }

    @Test
    void oneItemRunOnTheCallersThreadIsCutOffAtTheEndOfTheGraceAndLeavesNoInterruptBehind() throws Exception {
        StopSignal stop = StopSignal.withGrace(Duration.ofMillis(50));
        CountDownLatch running = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                running.await();
                stop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> stop.runItem(() -> {
            running.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                return "finished";
            } catch (InterruptedException e) {
                throw new java.util.concurrent.CancellationException("interrupted");
            }
        })).isInstanceOf(StoppedException.class).hasMessageStartingWith("cut off");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThatThrownBy(() -> stop.runItem(() -> "late")).isInstanceOf(StoppedException.class)
                .hasMessageStartingWith("not run");
        assertThat(StopSignal.create().runItem(() -> "ran")).isEqualTo("ran");
    }
}
