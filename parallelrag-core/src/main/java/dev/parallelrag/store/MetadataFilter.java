package dev.parallelrag.store;

import dev.parallelrag.error.ValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A condition on a chunk's fields, used to restrict a search. Keys name either a metadata entry
 * or, when they start with {@code $}, a built-in field ({@link #DOCUMENT_ID}, {@link #SOURCE},
 * {@link #MODEL_ID}, {@link #CONTENT_HASH}). Matching is exact string equality; a chunk without
 * the key never matches {@link Equals} or {@link AnyOf}.
 *
 * <pre>{@code
 * MetadataFilter f = MetadataFilter.eq("lang", "en").and(MetadataFilter.anyOf(MetadataFilter.SOURCE, Set.of("a.txt", "b.txt")));
 * }</pre>
 */
public sealed interface MetadataFilter
        permits MetadataFilter.All, MetadataFilter.Equals, MetadataFilter.AnyOf,
                MetadataFilter.And, MetadataFilter.Or, MetadataFilter.Not {

    /** Built-in field: the chunk's document id. */
    String DOCUMENT_ID = "$document_id";
    /** Built-in field: the chunk's source (e.g. path as ingested). */
    String SOURCE = "$source";
    /** Built-in field: the id of the model that embedded the chunk. */
    String MODEL_ID = "$model_id";
    /** Built-in field: the chunk's content hash. */
    String CONTENT_HASH = "$content_hash";

    /** Built-in field names, in a fixed order. */
    List<String> BUILT_IN_FIELDS = List.of(DOCUMENT_ID, SOURCE, MODEL_ID, CONTENT_HASH);

    /** Matches every chunk. */
    static MetadataFilter all() {
        return All.INSTANCE;
    }

    static MetadataFilter eq(String key, String value) {
        return new Equals(key, value);
    }

    static MetadataFilter anyOf(String key, Set<String> values) {
        return new AnyOf(key, values);
    }

    static MetadataFilter documentId(String documentId) {
        return new Equals(DOCUMENT_ID, documentId);
    }

    /**
     * The filter of a set of field conditions, as the command line ({@code --filter key=value}, repeatable) and the
     * server's {@code filter} object give them: a chunk matches when, for every key, its field equals one of that
     * key's values. No keys: {@link #all()}. Iteration order of the map is kept, so the filter is reproducible.
     *
     * @throws ValidationException for a blank key, an unknown {@code $} field, or a key without values
     */
    static MetadataFilter matching(Map<String, ? extends Collection<String>> fields) {
        if (fields == null || fields.isEmpty()) {
            return all();
        }
        List<MetadataFilter> conditions = new ArrayList<>();
        for (Map.Entry<String, ? extends Collection<String>> e : fields.entrySet()) {
            Collection<String> values = e.getValue();
            if (values == null || values.isEmpty() || values.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ValidationException("filter." + e.getKey(), values, "must be one value or a non-empty list of"
                        + " values, none of them null");
            }
            conditions.add(values.size() == 1 ? eq(e.getKey(), values.iterator().next())
                    : anyOf(e.getKey(), new LinkedHashSet<>(values)));
        }
        return conditions.size() == 1 ? conditions.getFirst() : new And(conditions);
    }

    default MetadataFilter and(MetadataFilter other) {
        return new And(List.of(this, other));
    }

    default MetadataFilter or(MetadataFilter other) {
        return new Or(List.of(this, other));
    }

    default MetadataFilter negate() {
        return new Not(this);
    }

    /** Evaluates the filter against a field lookup ({@code key -> value or null}). */
    boolean test(Function<String, String> fields);

    /** Evaluates the filter against a stored chunk. */
    default boolean test(StoredChunk chunk) {
        return test(chunk::field);
    }

    /** Matches everything. */
    enum All implements MetadataFilter {
        INSTANCE;

        @Override
        public boolean test(Function<String, String> fields) {
            return true;
        }
    }

    /** The field equals {@code value}. */
    record Equals(String key, String value) implements MetadataFilter {
        public Equals {
            requireKey(key);
            if (value == null) {
                throw new ValidationException("filter.value", null, "must not be null (key " + key + ")");
            }
        }

        @Override
        public boolean test(Function<String, String> fields) {
            return value.equals(fields.apply(key));
        }
    }

    /** The field equals one of {@code values}. */
    record AnyOf(String key, Set<String> values) implements MetadataFilter {
        public AnyOf {
            requireKey(key);
            if (values == null || values.isEmpty()) {
                throw new ValidationException("filter.values", values, "must be a non-empty set (key " + key + ")");
            }
            values = Set.copyOf(values);
        }

        @Override
        public boolean test(Function<String, String> fields) {
            String v = fields.apply(key);
            return v != null && values.contains(v);
        }
    }

    /** Every operand matches. */
    record And(List<MetadataFilter> operands) implements MetadataFilter {
        public And {
            operands = requireOperands(operands);
        }

        @Override
        public boolean test(Function<String, String> fields) {
            return operands.stream().allMatch(f -> f.test(fields));
        }
    }

    /** At least one operand matches. */
    record Or(List<MetadataFilter> operands) implements MetadataFilter {
        public Or {
            operands = requireOperands(operands);
        }

        @Override
        public boolean test(Function<String, String> fields) {
            return operands.stream().anyMatch(f -> f.test(fields));
        }
    }

    /** The operand does not match. */
    record Not(MetadataFilter operand) implements MetadataFilter {
        public Not {
            if (operand == null) {
                throw new ValidationException("filter.operand", null, "must not be null");
            }
        }

        @Override
        public boolean test(Function<String, String> fields) {
            return !operand.test(fields);
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new ValidationException("filter.key", key, "must be a non-empty metadata key or a built-in field");
        }
        if (key.startsWith("$") && !BUILT_IN_FIELDS.contains(key)) {
            throw new ValidationException("filter.key", key, "is not a built-in field; use one of " + BUILT_IN_FIELDS);
        }
    }

    private static List<MetadataFilter> requireOperands(List<MetadataFilter> operands) {
        if (operands == null || operands.isEmpty() || operands.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ValidationException("filter.operands", operands, "must be a non-empty list without nulls");
        }
        return List.copyOf(operands);
    }
}
