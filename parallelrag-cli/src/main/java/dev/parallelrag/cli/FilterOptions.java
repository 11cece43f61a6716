package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.store.MetadataFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The repeatable {@code --filter KEY=VALUE} option of search and ask, read into a {@link MetadataFilter}. */
final class FilterOptions {

    @Option(names = "--filter", paramLabel = "KEY=VALUE",
            description = {"Use only chunks whose field KEY equals VALUE: a metadata key, or $source (the path as"
                    + " ingested), $document_id, $model_id, $content_hash. Repeatable: the same KEY again allows another"
                    + " value, different keys must all match."})
    List<String> filters = new ArrayList<>();

    /** The filter the options describe; {@link MetadataFilter#all()} without any. */
    MetadataFilter filter() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new ValidationException("--filter", f, "must be KEY=VALUE, e.g. --filter '$source=docs/guide.md'");
            }
            fields.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        return MetadataFilter.matching(fields);
    }
}
