package dev.parallelrag.cli;

import dev.parallelrag.runtime.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wires SIGTERM and SIGINT to the running command's {@link StopSignal}: the JVM runs this shutdown hook on either
 * signal, and the hook stops the run and then waits for the command to finish in order (write what finished,
 * print its summary, flush) before it lets the JVM exit with the signal's status (143 or 130). How a run stops is
 * the library's ({@link StopSignal}); this class only connects it to the process.
 *
 * <p>Only {@link ParallelRagCommand#main} installs the hook: a command run in-process (tests, embedding the CLI)
 * gets a signal that nothing but its caller stops.
 */
final class ShutdownStop {

    /** After the grace, the time the command has to write its results, commit and print its summary. */
    static final Duration WRAP_UP = Duration.ofSeconds(30);

    private static volatile ShutdownStop process;

    private final List<StopSignal> runs = new CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "parallelrag-shutdown");

    private ShutdownStop() {
    }

    /** Installs the hook for this process; {@link #finished()} must follow once the command's output is flushed. */
    static ShutdownStop installForProcess() {
        ShutdownStop stop = new ShutdownStop();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        process = stop;
        return stop;
    }

    /**
     * A signal for the command's run with the given grace: stopped by SIGTERM or SIGINT when the process installed
     * the hook.
     */
    static StopSignal signal(Duration grace) {
        StopSignal signal = StopSignal.withGrace(grace);
        ShutdownStop current = process;
        if (current != null) {
            current.runs.add(signal);
        }
        return signal;
    }

    /** The command is done and its output flushed: a signal now has nothing to wait for. */
    void finished() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal arrived: the hook is running and returns now that the command is done
        }
    }

    private void onSignal() {
        if (runs.isEmpty()) {
            return; // a command that cannot be stopped in order (split, ask, search, ...) ends as it always did
        }
        Duration longest = Duration.ZERO;
        for (StopSignal run : runs) {
            run.stop();
            longest = run.grace().compareTo(longest) > 0 ? run.grace() : longest;
        }
        try {
            finished.await(longest.plus(WRAP_UP).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
