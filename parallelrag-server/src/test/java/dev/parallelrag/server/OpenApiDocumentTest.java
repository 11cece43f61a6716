package dev.parallelrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in OpenAPI document is valid OpenAPI 3.1 and describes the errors every route can answer. */
class OpenApiDocumentTest {

    private static final String ERROR_SCHEMA = "#/components/schemas/Error";

    @Test
    void theDocumentIsValidOpenApi31() {
        SwaggerParseResult result = OpenApiDocument.parse(OpenApiDocument.text());

        assertThat(result.getMessages()).as("validation errors of openapi.json").isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
    }

    @Test
    void theValidatorReportsTheErrorsABrokenDocumentHas() {
        // the same checks catch each kind of mistake a hand-written document can make
        String broken = """
                {"openapi": "3.1.0", "info": {"title": "t"},
                 "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
                     {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}},
                           "/b": {"get": {"operationId": "twice", "responses": {"200": {"description": "ok"}}}},
                           "/c": {"post": {"operationId": "twice", "responses": {"200": {"description": "ok"}}}},
                           "/d/{id}": {"get": {"operationId": "d", "respones": {}}}}}
                """;

        List<String> messages = OpenApiDocument.parse(broken).getMessages();

        assertThat(messages).anyMatch(m -> m.contains("info.version"));
        assertThat(messages).anyMatch(m -> m.contains("#/components/schemas/Missing"));
        assertThat(messages).anyMatch(m -> m.contains("operationId is repeated"));
        assertThat(messages).anyMatch(m -> m.contains("respones is unexpected"));
        assertThat(messages).anyMatch(m -> m.contains("(get).responses is missing"));
        assertThat(messages).anyMatch(m -> m.contains("path parameter id needs to be defined"));
    }

    @Test
    void theErrorTypesAreTheServersOwn() throws IllegalAccessException {
        List<Object> served = new ArrayList<>();
        for (Field f : ErrorType.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                served.add((String) f.get(null));
            }
        }
        Schema<?> error = document().getComponents().getSchemas().get("Error");
        Schema<?> inner = (Schema<?>) error.getProperties().get("error");
        List<Object> documented = List.copyOf(inner.getProperties().get("type").getEnum());

        assertThat(documented).containsExactlyInAnyOrderElementsOf(List.copyOf(served));
    }

    @Test
    void everyErrorAnswerHasTheErrorShape() {
        OpenAPI api = document();
        OpenApiDocument.operations(api).forEach((key, operation) -> operation.getResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                ApiResponse resolved = resolve(api, response);
                boolean readiness = key.equals("GET /health/ready") && status.equals("503");
                if (!readiness) { // not ready is a readiness report, not an error: a balancer reads its reasons
                    assertThat(resolved.getContent().get("application/json").getSchema().get$ref())
                            .as("%s answers %s", key, status).isEqualTo(ERROR_SCHEMA);
                }
            }
        }));
    }

    @Test
    void everyRouteDocumentsTheFailuresTheServerGivesIt() {
        Map<String, Operation> operations = OpenApiDocument.operations(document());
        operations.forEach((key, operation) -> {
            var statuses = operation.getResponses().keySet();
            assertThat(statuses).as(key).contains("500");
            if (key.contains(" " + Route.KEYED_PREFIX)) {
                assertThat(statuses).as("%s needs a key and has limits", key).contains("401", "429");
            }
            boolean queryParameters = operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(p -> "query".equals(p.getIn()));
            if (operation.getRequestBody() != null || queryParameters) {
                assertThat(statuses).as("%s takes input that can break a rule", key).contains("400");
            }
            if (operation.getRequestBody() != null) {
                assertThat(statuses).as("%s takes a body", key).contains("413");
            }
        });
    }

    @Test
    void everySecurityRequirementNamesADeclaredScheme() {
        OpenAPI api = document();
        var schemes = api.getComponents().getSecuritySchemes().keySet();
        OpenApiDocument.operations(api).forEach((key, operation) -> {
            if (operation.getSecurity() != null) {
                operation.getSecurity().forEach(requirement -> assertThat(schemes).as(key)
                        .containsAll(requirement.keySet()));
            }
        });
        assertThat(api.getSecurity()).as("no document-wide default: each operation says whether it needs a key")
                .isNullOrEmpty();
    }

    @Test
    void operationIdsNameEveryOperation() {
        List<String> ids = OpenApiDocument.operations(document()).values().stream().map(Operation::getOperationId).toList();

        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(ids).allMatch(id -> id.matches("[a-z][A-Za-z0-9]*"), "camelCase, as generated clients name methods");
    }

    private static OpenAPI document() {
        return OpenApiDocument.parse(OpenApiDocument.text()).getOpenAPI();
    }

    private static ApiResponse resolve(OpenAPI api, ApiResponse response) {
        String ref = response.get$ref();
        return ref == null ? response : api.getComponents().getResponses().get(ref.substring(ref.lastIndexOf('/') + 1));
    }
}
