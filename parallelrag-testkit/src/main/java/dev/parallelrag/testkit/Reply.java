package dev.parallelrag.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A response body the server is about to send, in a form faults can corrupt. */
sealed interface Reply {

    /** One JSON document. */
    record Json(int status, String body, Map<String, String> headers) implements Reply {
        Json(int status, String body) {
            this(status, body, Map.of());
        }
    }

    /**
     * A stream of frames, each {@code prefix + json + suffix} (SSE {@code "data: " ... "\n\n"} or NDJSON
     * {@code "" ... "\n"}); keeping the JSON apart lets the malformed-JSON fault cut one event's payload.
     */
    record Stream(String contentType, List<Frame> frames) implements Reply {
        byte[] bytes() {
            StringBuilder sb = new StringBuilder();
            frames.forEach(f -> sb.append(f.render()));
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** One stream frame. */
    record Frame(String prefix, String json, String suffix) {
        String render() {
            return prefix + json + suffix;
        }

        static Frame sse(String json) {
            return new Frame("data: ", json, "\n\n");
        }

        static Frame sse(String event, String json) {
            return new Frame("event: " + event + "\ndata: ", json, "\n\n");
        }
    }
}
