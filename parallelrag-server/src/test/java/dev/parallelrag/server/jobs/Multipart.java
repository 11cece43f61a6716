package dev.parallelrag.server.jobs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data body built by hand, as a browser or curl sends it: one part per file. */
public final class Multipart {

    final String boundary = "----parallelrag-" + UUID.randomUUID();
    private final List<Map.Entry<String, byte[]>> files = new ArrayList<>();

    public Multipart file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A file of any bytes, such as a text file that is not valid UTF-8. */
    public Multipart file(String name, byte[] content) {
        files.add(Map.entry("filename=\"" + name.replace("\"", "%22") + "\"", content));
        return this;
    }

    /** A file whose name is sent percent-encoded (RFC 5987 {@code filename*}), so it can carry any character. */
    Multipart encodedFile(String percentEncodedName, String text) {
        files.add(Map.entry("filename*=UTF-8''" + percentEncodedName, text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] body() {
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
