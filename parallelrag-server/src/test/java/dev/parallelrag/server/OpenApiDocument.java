package dev.parallelrag.server;

import dev.parallelrag.server.openapi.OpenApiRoutes;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The server's OpenAPI document as swagger-parser reads it: its validation messages and its operations. */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /** The checked-in document, exactly as {@code GET /openapi.json} serves it. */
    static String text() {
        return new String(OpenApiRoutes.document(), StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code json} as OpenAPI and validates it; the result's messages list every error found. References are
     * left as they are (not resolved into copies), so a {@code $ref} that points nowhere is reported, not dropped.
     */
    static SwaggerParseResult parse(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        return new OpenAPIV3Parser().readContents(json, List.of(), options);
    }

    /** Every operation of {@code api} by {@code "METHOD path"}, sorted. */
    static Map<String, Operation> operations(OpenAPI api) {
        Map<String, Operation> operations = new TreeMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.put(key(method, path), operation)));
        return operations;
    }

    static String key(PathItem.HttpMethod method, String path) {
        return key(method.name(), path);
    }

    static String key(String method, String path) {
        return method + " " + path;
    }
}
