package dev.parallelrag.pipeline;

import java.util.List;
import java.util.Set;

/**
 * What the writer must do for one file: write {@code toEmbed} (once embedded), then remove
 * {@code staleIds}. A plan with a {@code failure} writes nothing, except that an empty document still
 * has its old chunks removed ({@code staleIds}).
 *
 * @param chunks   every chunk of the document, in order
 * @param toEmbed  the chunks the store does not hold yet for this model
 * @param staleIds ids stored for this document that the new version does not have
 */
record DocumentPlan(IngestItem source, List<PlannedChunk> chunks, List<PlannedChunk> toEmbed, Set<String> staleIds,
                    FileFailure failure) {

    String documentId() {
        return source.documentId();
    }

    boolean failed() {
        return failure != null;
    }

    boolean unchanged() {
        return failure == null && toEmbed.isEmpty() && staleIds.isEmpty();
    }

    static DocumentPlan failed(IngestItem source, FileFailure failure, Set<String> staleIds) {
        return new DocumentPlan(source, List.of(), List.of(), staleIds, failure);
    }
}
