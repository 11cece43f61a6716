package dev.parallelrag.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * One embedding call's worth of work, plus the documents it touches, in document order. A document
 * with many chunks spans several units; its segment in the last of them is flagged {@code last}.
 */
record EmbedUnit(List<Segment> segments) {

    /** The chunks of one document carried by this unit. */
    record Segment(DocumentPlan plan, List<PlannedChunk> items, boolean last) {
    }

    List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (Segment s : segments) {
            for (PlannedChunk c : s.items()) {
                texts.add(c.text());
            }
        }
        return texts;
    }
}
