package dev.parallelrag.pipeline;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.model.Chunk;
import dev.parallelrag.model.Document;
import dev.parallelrag.read.ReaderRegistry;
import dev.parallelrag.split.TextSplitter;
import dev.parallelrag.store.VectorStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read, split and dedupe for one file (runs on the CPU pool, many files at once). Every failure becomes
 * the plan's {@link FileFailure}; nothing is thrown, so one bad file never stops the run.
 */
final class DocumentPlanner {

    private final ReaderRegistry readers;
    private final TextSplitter splitter;
    private final String splitterFingerprint;
    private final VectorStore store;
    private final String modelId;
    private final StageClock clock;

    DocumentPlanner(IngestConfig config, VectorStore store, String modelId, StageClock clock) {
        this.readers = config.readers();
        this.splitter = config.splitter();
        this.splitterFingerprint = config.splitterFingerprint();
        this.store = store;
        this.modelId = modelId;
        this.clock = clock;
    }

    DocumentPlan plan(IngestItem source) {
        String stage = StageClock.READ;
        try {
            long t = clock.start();
            Document document;
            String documentHash;
            try {
                document = source.read(readers);
                documentHash = ChunkIds.contentHash(document.text());
            } finally {
                clock.stop(StageClock.READ, t);
            }

            stage = StageClock.SPLIT;
            t = clock.start();
            List<Chunk> chunks;
            try {
                chunks = document.text().isBlank() ? List.of() : splitter.split(document);
            } finally {
                clock.stop(StageClock.SPLIT, t);
            }

            stage = StageClock.DEDUPE;
            t = clock.start();
            try {
                Set<String> stored = store.chunkIds(source.documentId());
                if (chunks.isEmpty()) {
                    // nothing to index: report it, and drop what an earlier version of the file left behind
                    return DocumentPlan.failed(source, new FileFailure(source.documentId(), StageClock.READ,
                            dev.parallelrag.error.ErrorKind.VALIDATION,
                            source.documentId() + ": no text to index (the file is empty or whitespace only)"), stored);
                }
                List<PlannedChunk> planned = toPlanned(document, documentHash, chunks);
                List<String> ids = planned.stream().map(PlannedChunk::id).toList();
                Set<String> present = store.existingIds(ids, modelId);
                List<PlannedChunk> all = new ArrayList<>(planned.size());
                List<PlannedChunk> toEmbed = new ArrayList<>();
                for (PlannedChunk p : planned) {
                    PlannedChunk q = present.contains(p.id()) ? p : withNeedsEmbedding(p);
                    all.add(q);
                    if (q.needsEmbedding()) {
                        toEmbed.add(q);
                    }
                }
                Set<String> stale = new LinkedHashSet<>(stored);
                stale.removeAll(new HashSet<>(ids));
                return new DocumentPlan(source, all, toEmbed, stale, null);
            } finally {
                clock.stop(StageClock.DEDUPE, t);
            }
        } catch (RuntimeException e) {
            return DocumentPlan.failed(source, FileFailure.of(source.documentId(), stage, e), Set.of());
        }
    }

    private List<PlannedChunk> toPlanned(Document document, String documentHash, List<Chunk> chunks) {
        SourcePositions positions = new SourcePositions(document.text());
        List<PlannedChunk> planned = new ArrayList<>(chunks.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String id = ChunkIds.chunkId(document.id(), documentHash, splitterFingerprint, i);
            if (!seen.add(id)) {
                throw new ValidationException("chunk id", id, "is duplicated within " + document.id() + " (hash collision)");
            }
            int[] pos = positions.of(c.start(), c.end());
            Map<String, String> metadata = new HashMap<>(document.metadata());
            metadata.put("chunk_index", Integer.toString(i));
            metadata.put("line_start", Integer.toString(pos[0]));
            metadata.put("line_end", Integer.toString(pos[1]));
            metadata.put("cp_start", Integer.toString(pos[2]));
            metadata.put("cp_end", Integer.toString(pos[3]));
            metadata.put("doc_hash", documentHash);
            metadata.put("splitter", splitterFingerprint);
            planned.add(new PlannedChunk(id, document.id(), c.start(), c.end(), c.text(), ChunkIds.contentHash(c.text()),
                    metadata, false));
        }
        return planned;
    }

    private static PlannedChunk withNeedsEmbedding(PlannedChunk p) {
        return new PlannedChunk(p.id(), p.documentId(), p.start(), p.end(), p.text(), p.contentHash(), p.metadata(), true);
    }
}
