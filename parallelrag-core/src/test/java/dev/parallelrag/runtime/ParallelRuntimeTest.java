package dev.parallelrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parallelrag.error.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proves that every {@link RuntimeConfig} setting takes effect, and that batches keep input order. */
@Timeout(60)
class ParallelRuntimeTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void cpuPoolSizeIsTheNumberOfTasksThatRunAtOnce() {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(3).build())) {
            ConcurrencyProbe probe = new ConcurrencyProbe(3);
            List<Outcome<String>> results = runtime.mapCpu(range(30), probe::enter);

            assertThat(results).allMatch(Outcome::isSuccess); // three really ran together (barrier of 3)
            assertThat(probe.max()).isEqualTo(3);
            assertThat(probe.threadNames()).hasSize(3); // never more than three threads
            assertThat(probe.virtualFlags()).containsExactly(false);
        }
    }

    @Test
    void cpuPoolSizeBoundsRawExecutorSubmissionsAndTheRestWaitInTheQueue() throws Exception {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build())) {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(2);
            AtomicInteger finished = new AtomicInteger();
            for (int i = 0; i < 7; i++) {
                runtime.cpuExecutor().execute(() -> {
                    started.countDown();
                    await(gate);
                    finished.incrementAndGet();
                });
            }
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            // two threads are blocked on the gate, so exactly the other five wait in the queue
            assertThat(runtime.cpuQueueDepth()).isEqualTo(5);
            gate.countDown();
        }
    }

    @Test
    void cpuQueueCapacityMakesSubmittersWaitWhenTheQueueIsFull() throws Exception {
        try (ParallelRuntime runtime = ParallelRuntime.create(
                RuntimeConfig.builder().cpuPoolSize(1).cpuQueueCapacity(2).build())) {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger finished = new AtomicInteger();
            runtime.cpuExecutor().execute(() -> {
                started.countDown();
                await(gate);
                finished.incrementAndGet();
            });
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            runtime.cpuExecutor().execute(finished::incrementAndGet);
            runtime.cpuExecutor().execute(finished::incrementAndGet);
            assertThat(runtime.cpuQueueDepth()).isEqualTo(2);

            AtomicBoolean submitted = new AtomicBoolean();
            Thread submitter = Thread.ofPlatform().start(() -> {
                runtime.cpuExecutor().execute(finished::incrementAndGet);
                submitted.set(true);
            });
            while (submitter.getState() != Thread.State.WAITING) { // parked on the full queue
                assertThat(submitter.isAlive()).as("submitter must block, not return").isTrue();
                Thread.onSpinWait();
            }
            assertThat(submitted).isFalse();

            gate.countDown();
            submitter.join();
            assertThat(submitted).isTrue();
        }
    }

    @Test
    void ioConcurrencyIsTheDefaultBoundOfIoTasksInFlight() {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().ioConcurrency(4).build())) {
            ConcurrencyProbe probe = new ConcurrencyProbe(4);
            List<Outcome<String>> results = runtime.mapIo(range(40), probe::enter);

            assertThat(results).allMatch(Outcome::isSuccess);
            assertThat(probe.max()).isEqualTo(4);
            assertThat(probe.threadNames()).hasSize(4);
            assertThat(probe.virtualFlags()).containsExactly(true);
        }
    }

    @Test
    void aCallerChosenIoConcurrencyOverridesTheDefault() {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().ioConcurrency(4).build())) {
            ConcurrencyProbe probe = new ConcurrencyProbe(7);
            List<Outcome<String>> results = runtime.mapIo(range(35), 7, probe::enter);

            assertThat(results).allMatch(Outcome::isSuccess);
            assertThat(probe.max()).isEqualTo(7);
        }
    }

    @Test
    void streamIoBoundsTasksInFlightByItsConcurrency() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            ConcurrencyProbe probe = new ConcurrencyProbe(3);
            try (Stream<Outcome<String>> stream = runtime.streamIo(range(30).iterator(), 3, probe::enter)) {
                assertThat(stream.map(Outcome::orElseThrow).toList())
                        .isEqualTo(range(30).stream().map(i -> "done-" + i).toList());
            }
            assertThat(probe.max()).isEqualTo(3);
        }
    }

    @Test
    void threadNamePrefixNamesCpuAndIoThreads() {
        try (ParallelRuntime runtime = ParallelRuntime.create(
                RuntimeConfig.builder().cpuPoolSize(2).threadNamePrefix("acme-rag").build())) {
            List<String> cpuNames = runtime.mapCpu(range(20), i -> Thread.currentThread().getName())
                    .stream().map(Outcome::orElseThrow).toList();
            List<String> ioNames = runtime.mapIo(range(20), i -> Thread.currentThread().getName())
                    .stream().map(Outcome::orElseThrow).toList();

            assertThat(cpuNames).allMatch(n -> n.matches("acme-rag-cpu-\\d+"));
            assertThat(ioNames).allMatch(n -> n.matches("acme-rag-io-\\d+"));
            Thread fromFactory = runtime.ioThreadFactory().newThread(() -> { });
            assertThat(fromFactory.getName()).startsWith("acme-rag-io-");
            assertThat(fromFactory.isVirtual()).isTrue();
        }
    }

    @Test
    void defaultPrefixIsParallelrag() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            assertThat(runtime.mapCpu(List.of(1), i -> Thread.currentThread().getName()).getFirst().orElseThrow())
                    .startsWith("parallelrag-cpu-");
        }
    }

    @Test
    void outcomesComeBackInInputOrderWithEachItemsOwnError() {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(4).build())) {
            List<Outcome<Integer>> results = runtime.mapCpu(range(200), i -> {
                Thread.sleep(ThreadLocalRandom.current().nextInt(2)); // shuffle completion order
                if (i % 7 == 0) {
                    throw new ValidationException("item", i, "is a multiple of 7");
                }
                return i * 2;
            });

            assertThat(results).hasSize(200);
            for (int i = 0; i < 200; i++) {
                if (i % 7 == 0) {
                    assertThat(results.get(i)).isInstanceOfSatisfying(Outcome.Failure.class,
                            f -> assertThat(f.error()).isInstanceOf(ValidationException.class));
                    assertThat(((Outcome.Failure<?>) results.get(i)).error()).hasMessageContaining("item = " + i + ":");
                } else {
                    assertThat(results.get(i)).isEqualTo(Outcome.success(i * 2));
                }
            }
        }
    }

    @Test
    void ioBatchKeepsInputOrderToo() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            List<Outcome<Integer>> results = runtime.mapIo(range(100), 10, i -> {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                return -i;
            });
            assertThat(results.stream().map(Outcome::orElseThrow).toList())
                    .isEqualTo(range(100).stream().map(i -> -i).toList());
        }
    }

    @Test
    void streamCpuKeepsOrderAndPullsAtMostWindowItemsAhead() {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(2).build())) {
            AtomicInteger pulled = new AtomicInteger();
            Iterator<Integer> source = new Iterator<>() {
                int next = 0;

                @Override
                public boolean hasNext() {
                    return next < 10_000;
                }

                @Override
                public Integer next() {
                    pulled.incrementAndGet();
                    return next++;
                }
            };
            int window = 5;
            List<Integer> seen = new ArrayList<>();
            try (Stream<Outcome<Integer>> stream = runtime.streamCpu(source, window, i -> i + 1)) {
                stream.forEach(o -> {
                    seen.add(o.orElseThrow());
                    assertThat(pulled.get()).isLessThanOrEqualTo(seen.size() + window);
                });
            }
            assertThat(seen).isEqualTo(IntStream.rangeClosed(1, 10_000).boxed().toList());
        }
    }

    @Test
    void streamReportsPerItemFailuresInPlace() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            List<Outcome<Integer>> results;
            try (Stream<Outcome<Integer>> stream = runtime.streamCpu(range(50).iterator(), i -> {
                if (i == 13) {
                    throw new IllegalArgumentException("unlucky");
                }
                return i;
            })) {
                results = stream.toList();
            }
            assertThat(results).hasSize(50);
            assertThat(results.get(13)).isInstanceOf(Outcome.Failure.class);
            assertThat(results.get(14)).isEqualTo(Outcome.success(14));
        }
    }

    @Test
    void aBatchStartedFromACpuThreadRunsInlineInsteadOfDeadlocking() {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(1).build())) {
            List<Outcome<Integer>> outer = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    runtime.mapCpu(range(3), i -> runtime.mapCpu(range(4), j -> j).size() + i));
            assertThat(outer.stream().map(Outcome::orElseThrow).toList()).containsExactly(4, 5, 6);
        }
    }

    @Test
    void anErrorIsNotAnItemOutcomeAndStopsTheBatch() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            assertThatThrownBy(() -> runtime.mapCpu(range(10), i -> {
                if (i == 3) {
                    throw new StackOverflowError("deep");
                }
                return i;
            })).isInstanceOf(StackOverflowError.class);
        }
    }

    @Test
    void interruptingTheWaitingCallerCancelsTheRestOfTheBatch() throws Exception {
        try (ParallelRuntime runtime = ParallelRuntime.create(RuntimeConfig.builder().cpuPoolSize(1).build())) {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch firstStarted = new CountDownLatch(1);
            AtomicInteger ran = new AtomicInteger();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    runtime.mapCpu(range(100), i -> {
                        ran.incrementAndGet();
                        firstStarted.countDown();
                        gate.await();
                        return i;
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            assertThat(firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join();
            gate.countDown();

            assertThat(thrown.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(flagKept).isTrue();
            runtime.close();
            assertThat(ran.get()).isLessThan(100); // the worker stopped pulling items
        }
    }

    @Test
    void closingAStreamWaitsForItsRunningTasksAndStartsNoMore() throws Exception {
        try (java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch running = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            OrderedStream<Integer, Integer> stream = new OrderedStream<>(range(100).iterator(), executor, 4,
                    new java.util.concurrent.Semaphore(2), i -> {
                        started.incrementAndGet();
                        running.countDown();
                        release.await();
                        finished.incrementAndGet();
                        return i;
                    });
            assertThat(stream.hasNext()).isTrue(); // pulls a window of 4: two tasks run and block, two wait for a permit
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            Thread closer = Thread.ofPlatform().start(stream::close);
            closer.join(200);
            assertThat(closer.isAlive()).as("close waits while tasks run").isTrue();
            release.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(closer.isAlive()).isFalse();
            assertThat(finished.get()).as("every task that started has ended when close returns").isEqualTo(started.get());
            assertThat(started.get()).as("the items waiting for a permit never started").isEqualTo(2);
        }
    }

    @Test
    void aClosedRuntimeRefusesWorkWithAClearMessage() {
        ParallelRuntime runtime = ParallelRuntime.create();
        runtime.close();
        assertThat(runtime.isClosed()).isTrue();
        assertThatThrownBy(() -> runtime.mapCpu(List.of(1), i -> i))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            assertThat(runtime.mapCpu(List.of(), i -> i)).isEmpty();
            assertThat(runtime.mapIo(List.of(), i -> i)).isEmpty();
        }
    }

    @Test
    void nonPositiveIoConcurrencyIsRejected() {
        try (ParallelRuntime runtime = ParallelRuntime.create()) {
            assertThatThrownBy(() -> runtime.mapIo(List.of(1), 0, i -> i))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("concurrency = 0");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
