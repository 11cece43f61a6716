package dev.parallelrag.server.jobs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data body built by hand, as a browser or curl sends it: one part per file. */
final class Multipart {

    final String boundary = "----parallelrag-" + UUID.randomUUID();
    private final List<Map.Entry<String, byte[]>> files = new ArrayList<>();

    Multipart file(String name, String text) {
        files.add(Map.entry("filename=\"" + name.replace("\"", "%22") + "\"", text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** A file whose name is sent percent-encoded (RFC 5987 {@code filename*}), so it can carry any character. */
    Multipart encodedFile(String percentEncodedName, String text) {
        files.add(Map.entry("filename*=UTF-8''" + percentEncodedName, text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.forEach(file -> {
            String filename = file.getKey();
            byte[] bytes = file.getValue();
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; " + filename
                    + "\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
