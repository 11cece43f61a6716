package dev.parallelrag.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.jobs.JobRequest;
import dev.parallelrag.model.Document;
import dev.parallelrag.server.ApiException;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code POST /v1/documents} request into a {@link JobRequest}: a multipart upload of files, each written
 * once to a fresh directory of the {@link UploadArea} (parts above the memory threshold stream to disk as they
 * arrive), or a JSON body of texts. Every name is checked ({@link UploadNames}); a request over a size bound is
 * refused with 413; a refused request leaves nothing behind.
 */
final class DocumentUploads {

    /** The request attribute through which Jetty takes a multipart configuration for one request. */
    static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Files up to this size are held in memory until written once to the upload area (a small file then costs one
     * write); larger ones stream to disk as they arrive, so an upload's memory stays small whatever its size.
     */
    static final int MEMORY_THRESHOLD = 64 << 10;

    private final UploadArea area;
    private final long maxUploadBytes;

    /** {@code maxUploadBytes} bounds one request and so each of its files ({@code ServerConfig.maxUploadBytes}). */
    DocumentUploads(UploadArea area, long maxUploadBytes) {
        this.area = area;
        this.maxUploadBytes = maxUploadBytes;
    }

    JobRequest read(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return files(ctx);
        }
        if (type.startsWith("application/json")) {
            return texts(ctx.body());
        }
        throw new ValidationException("Content-Type", ctx.contentType(), "must be multipart/form-data (files, one part"
                + " each) or application/json ({\"documents\":[{\"id\",\"text\",\"metadata\"}]})");
    }

    private JobRequest files(Context ctx) {
        ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(area.root().toString(), maxUploadBytes,
                maxUploadBytes, MEMORY_THRESHOLD));
        Path upload = area.newUpload();
        try {
            JobRequest.Builder request = JobRequest.builder().deleteWhenDone(upload);
            int n = 0;
            for (Part part : parts(ctx)) {
                String field = "files[" + n + "].filename";
                if (part.getSubmittedFileName() == null) {
                    throw new ValidationException(part.getName(), null, "is not a file; send each file as a part with a"
                            + " filename (Content-Disposition: form-data; name=\"files\"; filename=\"guide.md\")");
                }
                String source = UploadNames.requireSafe(field, part.getSubmittedFileName());
                Path target = UploadArea.fileFor(upload, n, source);
                try (InputStream in = part.getInputStream()) {
                    Files.copy(in, target);
                } finally {
                    part.delete();
                }
                request.file(target, source);
                n++;
            }
            if (n == 0) {
                throw new ValidationException("files", "none", "must hold at least one file part");
            }
            return request.build();
        } catch (IOException e) {
            UploadArea.delete(upload);
            throw new ValidationException("files", null, "could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            UploadArea.delete(upload);
            throw e;
        }
    }

    /** The parts, once Jetty has read them under the limits; a limit hit is a 413, a malformed body a 400. */
    private Collection<Part> parts(Context ctx) throws IOException {
        try {
            return ctx.req().getParts();
        } catch (ServletException | IOException | IllegalStateException e) {
            if (overLimit(e)) {
                throw ApiException.tooLarge("the upload is larger than the " + maxUploadBytes + " bytes one request takes"
                        + " (ServerConfig.maxUploadBytes); send the files in several requests");
            }
            throw new ValidationException("body", null, "is not a readable multipart/form-data body ("
                    + e.getMessage() + ")");
        }
    }

    /** Whether Jetty refused the body for one of the size bounds it was given. */
    private static boolean overLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("max") && (m.contains("size") || m.contains("length") || m.contains("exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code {"documents":[{"id":"note-1","text":"...","metadata":{"lang":"en"}}]}}. */
    static JobRequest texts(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", null, "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode documents = root == null ? null : root.get("documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            throw new ValidationException("documents", documents == null ? null : documents.toString(),
                    "must be a non-empty array of {\"id\", \"text\", \"metadata\"} objects");
        }
        JobRequest.Builder request = JobRequest.builder();
        for (int i = 0; i < documents.size(); i++) {
            JsonNode d = documents.get(i);
            String at = "documents[" + i + "]";
            String id = UploadNames.requireSafe(at + ".id", d.path("id").isTextual() ? d.get("id").asText() : null);
            if (!d.path("text").isTextual()) {
                throw new ValidationException(at + ".text", d.path("text").toString(), "must be a string");
            }
            request.text(new Document(id, d.get("text").asText(), metadata(at + ".metadata", d.get("metadata"))));
        }
        return request.build();
    }

    private static Map<String, String> metadata(String field, JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new ValidationException(field, node.toString(), "must be an object of string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty() || e.getKey().startsWith("$")) {
                throw new ValidationException(field, e.getKey(), "holds a key that is empty or starts with '$' (reserved"
                        + " for built-in fields)");
            }
            if (!e.getValue().isTextual()) {
                throw new ValidationException(field + "." + e.getKey(), e.getValue().toString(), "must be a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        }
        return metadata;
    }
}
