package dev.parallelrag.pgvector;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.store.MetadataFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link MetadataFilter} as a SQL condition with bound parameters. Metadata equality becomes a {@code jsonb}
 * containment ({@code metadata @> ?::jsonb}), which the table's GIN index serves; built-in fields compare their
 * typed columns. Every value is a parameter, never SQL text.
 *
 * @param sql        the condition ({@code true} for {@link MetadataFilter#all()})
 * @param parameters its parameters in order: strings, or {@code String[]} for arrays
 */
record SqlFilter(String sql, List<Object> parameters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static SqlFilter of(MetadataFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String sql = condition(filter, parameters);
        return new SqlFilter(sql, List.copyOf(parameters));
    }

    boolean matchesAll() {
        return sql.equals("true");
    }

    private static String condition(MetadataFilter filter, List<Object> parameters) {
        return switch (filter) {
            case MetadataFilter.All all -> "true";
            case MetadataFilter.Equals eq -> {
                String column = column(eq.key());
                if (column != null) {
                    parameters.add(eq.value());
                    yield column + " = ?";
                }
                parameters.add(json(Map.of(eq.key(), eq.value())));
                yield "metadata @> ?::jsonb";
            }
            case MetadataFilter.AnyOf any -> {
                String column = column(any.key());
                if (column != null) {
                    parameters.add(any.values().toArray(String[]::new));
                    yield column + " = any(?)";
                }
                List<String> alternatives = new ArrayList<>();
                for (String value : any.values().stream().sorted().toList()) {
                    parameters.add(json(Map.of(any.key(), value)));
                    alternatives.add("metadata @> ?::jsonb");
                }
                yield "(" + String.join(" or ", alternatives) + ")";
            }
            case MetadataFilter.And and -> join(and.operands(), " and ", parameters);
            case MetadataFilter.Or or -> join(or.operands(), " or ", parameters);
            case MetadataFilter.Not not -> "not (" + condition(not.operand(), parameters) + ")";
        };
    }

    private static String join(List<MetadataFilter> operands, String operator, List<Object> parameters) {
        List<String> parts = new ArrayList<>();
        for (MetadataFilter operand : operands) {
            parts.add("(" + condition(operand, parameters) + ")");
        }
        // parenthesised whole, so that the condition keeps its meaning after an "and" of the query around it
        return "(" + String.join(operator, parts) + ")";
    }

    private static String column(String key) {
        return switch (key) {
            case MetadataFilter.DOCUMENT_ID -> "document_id";
            case MetadataFilter.SOURCE -> "source";
            case MetadataFilter.MODEL_ID -> "model_id";
            case MetadataFilter.CONTENT_HASH -> "content_hash";
            default -> null;
        };
    }

    static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
