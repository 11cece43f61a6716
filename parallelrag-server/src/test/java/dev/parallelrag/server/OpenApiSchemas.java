package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks real answers against the schemas of the OpenAPI document: the schema of the operation's response for the
 * answer's status and media type, found the way a client would find it, and validated as JSON Schema 2020-12 (the
 * dialect of OpenAPI 3.1) with its {@code $ref}s resolved inside the document.
 */
final class OpenApiSchemas {

    /** The document's identity for the validator: every {@code #/components/...} reference resolves inside it. */
    private static final String DOCUMENT = "urn:parallelrag:openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry registry;

    OpenApiSchemas() {
        String text = OpenApiDocument.text();
        try {
            this.document = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(DOCUMENT, text)));
    }

    /** Asserts that {@code response}, the answer to {@code method path}, is one the document describes. */
    void assertAnswerMatches(String method, String path, HttpResponse<String> response) {
        String status = Integer.toString(response.statusCode());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String pointer = responsePointer(method, path, status);
        JsonNode content = at(pointer).path("content");
        String mediaType = mediaType(content, contentType, method + " " + path + " " + status);
        assertValid(pointer + "/content/" + escape(mediaType) + "/schema", response.body(),
                method + " " + path + " answered " + status);
    }

    /** Asserts that {@code data}, sent as event {@code event} by the stream of {@code method path}, has its shape. */
    void assertEventMatches(String method, String path, String event, String data) {
        String pointer = responsePointer(method, path, "200") + "/content/text~1event-stream/x-sse-events/"
                + escape(event);
        assertThat(at(pointer).isMissingNode()).as("%s %s documents its event %s", method, path, event).isFalse();
        assertValid(pointer, data, method + " " + path + " event " + event);
    }

    /** Validation errors of {@code json} against the schema at {@code pointer} in the document (empty: valid). */
    List<String> errors(String pointer, String json) {
        Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT + "#" + uriEscape(pointer)));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /**
     * Where the document has a schema: each of {@code components.schemas}, and each {@code schema} of a media type,
     * parameter or header, and each event schema of a stream ({@code x-sse-events}).
     */
    List<String> schemaPointers() {
        List<String> pointers = new ArrayList<>();
        document.path("components").path("schemas").fieldNames()
                .forEachRemaining(name -> pointers.add("/components/schemas/" + escape(name)));
        collect(document.path("paths"), "/paths", pointers);
        collect(document.path("components").path("responses"), "/components/responses", pointers);
        collect(document.path("components").path("parameters"), "/components/parameters", pointers);
        collect(document.path("components").path("headers"), "/components/headers", pointers);
        return pointers;
    }

    private static void collect(JsonNode node, String pointer, List<String> into) {
        node.properties().forEach(e -> {
            String at = pointer + "/" + escape(e.getKey());
            if (e.getKey().equals("schema") && e.getValue().isObject()) {
                into.add(at);
            } else if (e.getKey().equals("x-sse-events")) {
                e.getValue().fieldNames().forEachRemaining(name -> into.add(at + "/" + escape(name)));
            } else if (e.getValue().isContainerNode()) {
                collect(e.getValue(), at, into);
            }
        });
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, into);
            }
        }
    }

    /** Errors of the schema at {@code pointer} itself against the JSON Schema 2020-12 meta-schema. */
    List<String> metaSchemaErrors(String pointer) {
        return metaSchemaErrorsOf(at(pointer).toString());
    }

    static List<String> metaSchemaErrorsOf(String schema) {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        return meta.validate(schema, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    private void assertValid(String pointer, String json, String what) {
        assertThat(errors(pointer, json)).as("%s, against %s: %s", what, pointer, json).isEmpty();
    }

    /** The pointer of the response object, a {@code $ref} to {@code #/components/responses/..} followed. */
    private String responsePointer(String method, String path, String status) {
        String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
        JsonNode response = at(pointer);
        assertThat(response.isMissingNode()).as("%s %s documents status %s", method, path, status).isFalse();
        JsonNode ref = response.path("$ref");
        return ref.isTextual() ? ref.asText().substring(1) : pointer;
    }

    /** The documented media type the answer's {@code Content-Type} is: exactly, or by its type and subtype. */
    private static String mediaType(JsonNode content, String contentType, String what) {
        String base = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        for (var it = content.fieldNames(); it.hasNext(); ) {
            String documented = it.next();
            if (documented.equalsIgnoreCase(contentType) || documented.split(";")[0].strip().equals(base)) {
                return documented;
            }
        }
        throw new AssertionError(what + " answered " + contentType + ", a media type the document does not list: "
                + content.properties().stream().map(Map.Entry::getKey).toList());
    }

    private JsonNode at(String pointer) {
        return document.at(pointer);
    }

    /** A JSON Pointer token: {@code ~} and {@code /} escaped (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A pointer as a URI fragment: what is not a plain character percent-encoded ({@code {id}}, {@code ; }). */
    private static String uriEscape(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "/~-_.".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
