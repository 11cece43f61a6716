package dev.parallelrag.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.jobs.JobRequest;
import dev.parallelrag.model.Document;
import dev.parallelrag.pipeline.IngestItem;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code POST /v1/documents} request into a {@link JobRequest}: a multipart upload of files, streamed as it
 * arrives into one spool file in a fresh directory of the {@link UploadArea} ({@link MultipartSpool}; each file is
 * cut from it when its job reads it, {@link SpooledFile}), or a JSON body of texts. Every name is checked ({@link UploadNames}); a request over a size bound is
 * refused with 413; a refused request leaves nothing behind.
 */
final class DocumentUploads {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        Path upload = area.newUpload();
        try {
            List<MultipartSpool.Part> parts = MultipartSpool.read(ctx.contentType(), ctx.req().getInputStream(), upload,
                    maxUploadBytes);
            Path spool = upload.resolve(MultipartSpool.SPOOL);
            List<IngestItem> files = new ArrayList<>(parts.size());
            for (MultipartSpool.Part part : parts) {
                int n = files.size();
                if (part.fileName() == null) {
                    throw new ValidationException(part.name(), null, "is not a file; send each file as a part with a"
                            + " filename (Content-Disposition: form-data; name=\"files\"; filename=\"guide.md\")");
                }
                String source = UploadNames.requireSafe("files[" + n + "].filename", part.fileName());
                files.add(new SpooledFile(spool, part.offset(), part.length(), UploadArea.fileFor(upload, n, source),
                        source));
            }
            if (files.isEmpty()) {
                throw new ValidationException("files", "none", "must hold at least one file part");
            }
            return new JobRequest(files, List.of(upload));
        } catch (IOException e) {
            UploadArea.delete(upload);
            throw new ValidationException("files", null, "could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            UploadArea.delete(upload);
            throw e;
        }
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
