package dev.parallelrag.index;

import dev.parallelrag.embed.EmbedderSpec;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.split.SplitterSpec;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything an index records to be reopened with no setting repeated: the embedder, the splitter and the
 * store settings. It lives in the store's index metadata ({@link dev.parallelrag.store.VectorStore#indexMetadata()})
 * under the keys below, documented in docs/ingest.md ("The index manifest"). The ingest pipeline writes the
 * embedder and splitter keys before its first commit; the store writes its own {@code store.*} keys.
 *
 * <p>An index built before the manifest existed (keys {@code cli.embedder}, {@code cli.embedder_model},
 * {@code model_id}, {@code splitter}) is read too: its embedder kind and model are known, its dimension comes
 * from the store, and its splitter from its fingerprint when {@link SplitterSpec#recognize} can rebuild it exactly
 * ({@link #legacy()} is true). The next ingest into it
 * writes the manifest and removes the old keys.
 *
 * @param embedder            the model that embedded the chunks
 * @param splitter            the splitter of the last ingest, or empty when it cannot be rebuilt from the record
 *                            (a splitter of your own, or an index of an older version)
 * @param splitterFingerprint the splitter's description that is part of every chunk id
 * @param storeKind           {@code store.kind}, e.g. {@code lucene}; empty when the store records none
 * @param storeSettings       the other {@code store.*} entries, without the prefix, sorted
 * @param legacy              read from the keys of a version before the manifest
 */
public record IndexManifest(EmbedderSpec embedder, Optional<SplitterSpec> splitter, String splitterFingerprint,
                            String storeKind, Map<String, String> storeSettings, boolean legacy) {

    /** The manifest format; a higher number than this version knows is refused. */
    public static final String VERSION = "manifest.version";
    public static final int CURRENT_VERSION = 1;

    public static final String EMBEDDER_KIND = "embedder.kind";
    public static final String EMBEDDER_MODEL = "embedder.model";
    public static final String EMBEDDER_MODEL_ID = "embedder.model_id";
    public static final String EMBEDDER_DIMENSION = "embedder.dimension";
    public static final String EMBEDDER_NORMALIZED = "embedder.normalized";
    public static final String EMBEDDER_POOLING = "embedder.pooling";
    public static final String EMBEDDER_QUERY_PREFIX = "embedder.query_prefix";

    /** Prefix of the splitter keys: {@code splitter.kind} and the other {@link SplitterSpec#toMap()} keys. */
    public static final String SPLITTER_PREFIX = "splitter.";
    public static final String SPLITTER_FINGERPRINT = "splitter.fingerprint";
    /** {@code splitter.kind} of a splitter {@link SplitterSpec} cannot rebuild. */
    public static final String CUSTOM_SPLITTER = "custom";

    /** Prefix of the keys the store writes about itself; {@code store.kind} names the store. */
    public static final String STORE_PREFIX = "store.";
    public static final String STORE_KIND = "store.kind";

    /** The JSON summary of the last ingest. */
    public static final String LAST_INGEST = "last_ingest";

    /** Keys of versions before the manifest. */
    static final String LEGACY_EMBEDDER = "cli.embedder";
    static final String LEGACY_EMBEDDER_MODEL = "cli.embedder_model";
    static final String LEGACY_MODEL_ID = "model_id";
    static final String LEGACY_SPLITTER = "splitter";

    public IndexManifest {
        storeSettings = Collections.unmodifiableMap(new TreeMap<>(storeSettings));
    }

    /**
     * The manifest in an index's metadata, or empty when the index records no ingest.
     *
     * @throws ValidationException when the record is from a newer version or cannot be read, naming the key
     */
    public static Optional<IndexManifest> read(Map<String, String> metadata) {
        String kind = metadata.getOrDefault(STORE_KIND, "");
        Map<String, String> store = new HashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(STORE_PREFIX) && !k.equals(STORE_KIND)) {
                store.put(k.substring(STORE_PREFIX.length()), v);
            }
        });
        String version = metadata.get(VERSION);
        if (version == null) {
            return readLegacy(metadata, kind, store);
        }
        if (!version.equals(Integer.toString(CURRENT_VERSION))) {
            throw new ValidationException(VERSION, version, "is not " + CURRENT_VERSION
                    + ": the index was built by a newer version; open it with that version, or re-ingest into a new index");
        }
        EmbedderSpec embedder = new EmbedderSpec(required(metadata, EMBEDDER_KIND), required(metadata, EMBEDDER_MODEL),
                required(metadata, EMBEDDER_MODEL_ID), integer(metadata, EMBEDDER_DIMENSION),
                Boolean.parseBoolean(required(metadata, EMBEDDER_NORMALIZED)), required(metadata, EMBEDDER_POOLING),
                metadata.getOrDefault(EMBEDDER_QUERY_PREFIX, ""));
        Map<String, String> splitterKeys = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(SPLITTER_PREFIX) && !k.equals(SPLITTER_FINGERPRINT)) {
                splitterKeys.put(k.substring(SPLITTER_PREFIX.length()), v);
            }
        });
        Optional<SplitterSpec> splitter = CUSTOM_SPLITTER.equals(splitterKeys.get("kind")) ? Optional.empty()
                : Optional.of(SplitterSpec.fromMap(splitterKeys));
        return Optional.of(new IndexManifest(embedder, splitter, required(metadata, SPLITTER_FINGERPRINT), kind, store, false));
    }

    private static Optional<IndexManifest> readLegacy(Map<String, String> metadata, String storeKind, Map<String, String> store) {
        String modelId = metadata.get(LEGACY_MODEL_ID);
        String kind = metadata.get(LEGACY_EMBEDDER);
        String model = metadata.get(LEGACY_EMBEDDER_MODEL);
        if (modelId == null && (kind == null || model == null)) {
            return Optional.empty();
        }
        if (kind == null || model == null) {
            int slash = modelId.indexOf('/');
            kind = slash > 0 ? modelId.substring(0, slash) : EmbedderSpec.CUSTOM;
            model = slash > 0 ? modelId.substring(slash + 1) : modelId;
        }
        if (modelId == null) {
            modelId = kind + "/" + model;
        }
        EmbedderSpec embedder = new EmbedderSpec(kind, model, modelId, 0, false, "unknown", "");
        String fingerprint = metadata.getOrDefault(LEGACY_SPLITTER, "");
        return Optional.of(new IndexManifest(embedder, SplitterSpec.recognize(fingerprint), fingerprint, storeKind, store, true));
    }

    /**
     * The metadata entries an ingest writes: the version, the embedder and the splitter keys, with a null
     * value (removal) for every key of an older version and every splitter key of the previous splitter
     * that the new one does not have. {@code current} is the index's metadata before the write.
     */
    public static Map<String, String> entries(EmbedderSpec embedder, Optional<SplitterSpec> splitter, String splitterFingerprint,
                                              Map<String, String> current) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : current.keySet()) {
            if (key.startsWith(SPLITTER_PREFIX) || key.startsWith("cli.") || key.equals(LEGACY_MODEL_ID)
                    || key.equals(LEGACY_SPLITTER) || key.equals(EMBEDDER_QUERY_PREFIX)) {
                m.put(key, null);
            }
        }
        m.put(VERSION, Integer.toString(CURRENT_VERSION));
        m.put(EMBEDDER_KIND, embedder.kind());
        m.put(EMBEDDER_MODEL, embedder.model());
        m.put(EMBEDDER_MODEL_ID, embedder.modelId());
        m.put(EMBEDDER_DIMENSION, Integer.toString(embedder.dimension()));
        m.put(EMBEDDER_NORMALIZED, Boolean.toString(embedder.normalized()));
        m.put(EMBEDDER_POOLING, embedder.pooling());
        if (!embedder.queryPrefix().isEmpty()) {
            m.put(EMBEDDER_QUERY_PREFIX, embedder.queryPrefix());
        }
        if (splitter.isPresent()) {
            splitter.get().toMap().forEach((k, v) -> m.put(SPLITTER_PREFIX + k, v));
        } else {
            m.put(SPLITTER_PREFIX + "kind", CUSTOM_SPLITTER);
        }
        m.put(SPLITTER_FINGERPRINT, splitterFingerprint);
        return m;
    }

    /**
     * Refuses to put vectors of {@code wanted} into, or search with it, an index whose {@code chunks} were
     * embedded by another model: vectors of two models cannot be compared.
     *
     * @throws ValidationException naming both models and what to do
     */
    public void requireSameEmbedder(EmbedderSpec wanted, long chunks) {
        if (chunks > 0 && !embedder.sameModelAs(wanted)) {
            throw new ValidationException("embedder", wanted.modelId(), "differs from " + embedder.modelId()
                    + (embedder.dimension() > 0 ? " (" + embedder.dimension() + " dimensions)" : "") + ", which embedded the "
                    + chunks + " chunks of this index; keep " + embedder.modelId() + ", or use a new index for another model");
        }
    }

    private static String required(Map<String, String> metadata, String key) {
        String v = metadata.get(key);
        if (v == null || v.isBlank()) {
            throw new ValidationException(key, v, "is missing from the index manifest; re-ingest into a new index");
        }
        return v;
    }

    private static int integer(Map<String, String> metadata, String key) {
        String v = required(metadata, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ValidationException(key, v, "must be a whole number; the index manifest is damaged, re-ingest into a new index");
        }
    }
}
