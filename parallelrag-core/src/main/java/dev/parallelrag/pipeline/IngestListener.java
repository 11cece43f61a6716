package dev.parallelrag.pipeline;

/** Receives {@link IngestEvent}s. Called on the pipeline's writer thread: keep it quick. */
@FunctionalInterface
public interface IngestListener {

    IngestListener NONE = event -> { };

    void on(IngestEvent event);
}
