package dev.parallelrag.cli.settings;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The library's public settings, found by reflection on the types that carry them: the fluent methods of a
 * type's nested {@code Builder} (public instance methods that return the builder), or, for a record without
 * a builder, its components. A setting is named {@code Type.member}, e.g. {@code RuntimeConfig.cpuPoolSize}.
 *
 * <p>{@link #SETTINGS_TYPES} is the maintained list of those types, by simple name so that moving a type to
 * another package or module needs no change here. {@link #NOT_SETTINGS} names the public types that look
 * like settings ({@code *Config}, {@code *Options}, {@code *Policy}, or with a nested {@code Builder}) but are
 * not, each with the reason. A new type of that look that is in neither list fails the test, so a new
 * setting cannot arrive undocumented.
 */
final class LibrarySettings {

    /** Types whose public settings must each have a row in docs/configuration.md. */
    static final Set<String> SETTINGS_TYPES = Set.of(
            // runtime, resilience, providers, clients
            "RuntimeConfig", "Sizing", "ResilienceConfig", "ProviderConfig", "EmbeddingClient", "LlmClient",
            "CompletionOptions", "EmbedOptions", "ClientHealthPolicy", "CachingEmbeddingModel",
            // pipelines and readers
            "IngestConfig", "Rag", "ReaderRegistry",
            // the engine and what an index records
            "ParallelRag", "IngestOptions", "SplitterSpec",
            // splitters
            "CharacterSplitter", "SeparatorSplitter", "RecursiveSplitter", "TokenSplitter", "SentenceSplitter",
            "StreamingSplitter",
            // stores, local embeddings, testkit
            "LuceneStoreConfig", "PgVectorConfig", "OnnxEmbeddingConfig", "FakeProviderServer",
            // the server, and the ingest jobs it submits
            "ServerConfig", "ParallelRagServer", "IngestJobsConfig");

    /** Types that match the settings look but hold no user setting, with the reason. */
    static final Map<String, String> NOT_SETTINGS = Map.of(
            "RetryPolicy", "the retry decisions derived from a ResilienceConfig; it holds no setting of its own",
            "ResilientClient", "the abstract base of EmbeddingClient and LlmClient: its builder's settings are the"
                    + " clients' and have their rows under each client",
            "Query", "one search or question (text, k, mode, filter), given per call: its defaults are Rag's and the"
                    + " engine's k and mode, which have their rows",
            "JobRequest", "the documents of one ingest job (files, texts, directories to delete), not a setting",
            "StoreOptions", "the CLI's --store, --pg-url and --pg-table mixin: its options have their rows under each"
                    + " command");

    private static final Set<String> SUFFIXES = Set.of("Config", "Options", "Policy");

    private final Map<String, Class<?>> types;

    private LibrarySettings(Map<String, Class<?>> types) {
        this.types = types;
    }

    /** Resolves {@link #SETTINGS_TYPES} among the project's public classes. */
    static LibrarySettings resolve(List<Class<?>> publicApi) {
        Map<String, Class<?>> found = new LinkedHashMap<>();
        for (Class<?> c : publicApi) {
            if (c.getEnclosingClass() == null && SETTINGS_TYPES.contains(c.getSimpleName())) {
                Class<?> previous = found.put(c.getSimpleName(), c);
                if (previous != null) {
                    throw new IllegalStateException("two public types are named " + c.getSimpleName() + ": "
                            + previous.getName() + " and " + c.getName() + "; settings rows name types by simple name");
                }
            }
        }
        return new LibrarySettings(found);
    }

    /** Listed types that are not on the class path (renamed or removed). */
    Set<String> missingTypes() {
        Set<String> missing = new TreeSet<>(SETTINGS_TYPES);
        missing.removeAll(types.keySet());
        return missing;
    }

    /** Public types that look like settings types but are in neither list. */
    static Set<String> unknownTypes(List<Class<?>> publicApi) {
        Set<String> unknown = new TreeSet<>();
        for (Class<?> c : publicApi) {
            Class<?> owner = c.getSimpleName().equals("Builder") && c.getEnclosingClass() != null ? c.getEnclosingClass() : c;
            String name = owner.getSimpleName();
            if (looksLikeSettings(owner) && !SETTINGS_TYPES.contains(name) && !NOT_SETTINGS.containsKey(name)) {
                unknown.add(owner.getName());
            }
        }
        return unknown;
    }

    private static boolean looksLikeSettings(Class<?> c) {
        return SUFFIXES.stream().anyMatch(s -> c.getSimpleName().endsWith(s)) || builderOf(c).isPresent();
    }

    /** Every setting, {@code Type.member}, sorted. */
    Set<String> settings() {
        Set<String> names = new TreeSet<>();
        types.forEach((simpleName, type) -> {
            for (String member : members(type)) {
                names.add(simpleName + "." + member);
            }
        });
        return names;
    }

    /**
     * Names a row may carry besides the settings: the arguments of a type's static {@code builder(...)}
     * (the required values, such as {@code IngestConfig.splitterFingerprint}).
     */
    Set<String> requiredArguments() {
        Set<String> names = new TreeSet<>();
        types.forEach((simpleName, type) -> {
            for (Method m : type.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && m.getName().equals("builder")) {
                    for (Parameter p : m.getParameters()) {
                        if (p.isNamePresent()) {
                            names.add(simpleName + "." + p.getName());
                        }
                    }
                }
            }
        });
        return names;
    }

    private static List<String> members(Class<?> type) {
        Optional<Class<?>> builder = builderOf(type);
        List<String> out = new ArrayList<>();
        if (builder.isPresent()) {
            for (Method m : builder.get().getMethods()) {
                if (isFluentSetter(m, builder.get()) && !out.contains(m.getName())) {
                    out.add(m.getName());
                }
            }
        } else if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                out.add(rc.getName());
            }
        } else {
            throw new IllegalStateException(type.getName() + " is listed in SETTINGS_TYPES but has neither a nested"
                    + " Builder nor record components; say in LibrarySettings how its settings are found");
        }
        return out;
    }

    private static boolean isFluentSetter(Method m, Class<?> builder) {
        return !Modifier.isStatic(m.getModifiers()) && !m.isBridge() && !m.isSynthetic()
                && m.getDeclaringClass() != Object.class
                && m.getReturnType() != Object.class && m.getReturnType().isAssignableFrom(builder);
    }

    private static Optional<Class<?>> builderOf(Class<?> type) {
        for (Class<?> nested : type.getClasses()) {
            if (nested.getSimpleName().equals("Builder") && Modifier.isStatic(nested.getModifiers())
                    && nested.getEnclosingClass() == type) {
                return Optional.of(nested);
            }
        }
        return Optional.empty();
    }
}
