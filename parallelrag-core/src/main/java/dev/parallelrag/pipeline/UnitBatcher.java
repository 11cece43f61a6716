package dev.parallelrag.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Packs the chunks to embed of consecutive documents into {@link EmbedUnit}s of at most
 * {@code batchSize} texts and {@code batchTokens} estimated tokens, keeping document order. A unit is
 * also closed after {@code maxSegments} documents so that a long run of unchanged documents (nothing to
 * embed) still flows to the writer in small steps instead of piling up.
 */
final class UnitBatcher implements Iterator<EmbedUnit> {

    private final Iterator<DocumentPlan> plans;
    private final int batchSize;
    private final int batchTokens;
    private final int maxSegments;

    private DocumentPlan current;   // document whose items are being packed
    private int currentOffset;      // next item of current to pack
    private EmbedUnit ready;

    UnitBatcher(Iterator<DocumentPlan> plans, int batchSize, int batchTokens, int maxSegments) {
        this.plans = plans;
        this.batchSize = batchSize;
        this.batchTokens = batchTokens;
        this.maxSegments = maxSegments;
    }

    @Override
    public boolean hasNext() {
        if (ready == null) {
            ready = build();
        }
        return ready != null;
    }

    @Override
    public EmbedUnit next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        EmbedUnit unit = ready;
        ready = null;
        return unit;
    }

    private EmbedUnit build() {
        List<EmbedUnit.Segment> segments = new ArrayList<>();
        int count = 0;
        int tokens = 0;
        while (segments.size() < maxSegments && count < batchSize) {
            if (current == null) {
                if (!plans.hasNext()) {
                    break;
                }
                current = plans.next();
                currentOffset = 0;
            }
            List<PlannedChunk> items = current.toEmbed();
            int from = currentOffset;
            int to = from;
            while (to < items.size() && count < batchSize) {
                int t = items.get(to).estimatedTokens();
                if (count > 0 && tokens + t > batchTokens) {
                    break; // a single over-budget chunk still goes alone: the model windows long texts
                }
                tokens += t;
                count++;
                to++;
            }
            boolean last = to == items.size();
            if (to == from && !last) {
                break; // the next chunk does not fit: it starts the next unit
            }
            segments.add(new EmbedUnit.Segment(current, List.copyOf(items.subList(from, to)), last));
            if (last) {
                current = null;
            } else {
                currentOffset = to;
                break; // the unit is full
            }
        }
        return segments.isEmpty() ? null : new EmbedUnit(List.copyOf(segments));
    }
}
