package dev.parallelrag.cli;

import dev.parallelrag.pipeline.IngestEvent;
import dev.parallelrag.pipeline.IngestListener;
import java.io.PrintStream;
import java.lang.reflect.Method;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of {@code ingest} on a terminal (stderr): files done out of files found, with the ETA,
 * and the chunks embedded so far with the embedding rate. Shown only when stderr is a terminal.
 */
final class IngestProgress implements IngestListener, AutoCloseable {

    private final PrintStream out;
    private ProgressBar bar;
    private long startNanos;
    private long embedded;
    private long toEmbed;

    IngestProgress(PrintStream out) {
        this.out = out;
    }

    /** True when the process talks to a terminal (JDK 22+ {@code Console.isTerminal()} when available). */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: console() is null unless interactive
        }
    }

    @Override
    public void on(IngestEvent event) {
        switch (event) {
            case IngestEvent.Started s -> {
                startNanos = System.nanoTime();
                bar = new ProgressBarBuilder().setTaskName("ingest").setInitialMax(s.files()).setUnit(" files", 1)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                        .setConsumer(new ConsoleProgressBarConsumer(out)).build();
            }
            case IngestEvent.DocumentPlanned p -> {
                toEmbed += p.toEmbed();
                message();
            }
            case IngestEvent.BatchEmbedded b -> {
                embedded = b.embeddedSoFar();
                message();
            }
            case IngestEvent.DocumentWritten w -> step();
            case IngestEvent.DocumentFailed f -> step();
            default -> { }
        }
    }

    private void step() {
        if (bar != null) {
            bar.step();
        }
    }

    private void message() {
        if (bar == null) {
            return;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? embedded / seconds : 0;
        bar.setExtraMessage(String.format(" chunks %d/%d, %.0f emb/s", embedded, toEmbed, rate));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
