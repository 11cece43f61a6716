package dev.parallelrag.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parallelrag.onnx.graph.GraphFusions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ONNX Runtime session of a model: from a verified entry of the model cache when there is one,
 * otherwise by reading the model, fusing its graph ({@link GraphFusions}) when asked to, and storing the result
 * in the cache for the next load. Without a usable cache it loads the way it always did.
 */
final class SessionLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLoader.class);

    /** Cache variant of a model stored as exported: a bundled model copied out of its jar. */
    static final String EXPORTED = "exported";

    private SessionLoader() {
    }

    record Loaded(OrtSession session, ModelCacheOutcome cache) {
    }

    static Loaded load(OrtEnvironment env, ModelSource source, OnnxEmbeddingConfig config, OrtSession.SessionOptions options)
            throws OrtException {
        boolean fuse = config.fuseGraph();
        if (!fuse && source.path() != null) {
            // ONNX Runtime reads a model file as it is in a single pass: there is nothing a cache would save
            return new Loaded(create(env, source, options), ModelCacheOutcome.NOT_APPLICABLE);
        }
        if (config.modelCacheDirectory().isEmpty()) {
            return uncached(env, source, options, fuse, ModelCacheOutcome.OFF);
        }
        Optional<ModelFileCache> cache = ModelFileCache.open(config.modelCacheDirectory().get());
        if (cache.isEmpty()) {
            return uncached(env, source, options, fuse, ModelCacheOutcome.UNAVAILABLE);
        }
        return cached(env, source, options, fuse, cache.get());
    }

    static String variant(boolean fuse) {
        return fuse ? "fused-" + GraphFusions.VERSION : EXPORTED;
    }

    private static Loaded cached(OrtEnvironment env, ModelSource source, OrtSession.SessionOptions options, boolean fuse,
                                 ModelFileCache cache) throws OrtException {
        boolean corrupt = false;
        Optional<String> known = cache.contentHash(source);
        if (known.isPresent()) {
            ModelFileCache.Lookup lookup = cache.find(ModelFileCache.key(known.get(), variant(fuse)));
            corrupt = lookup.corrupt();
            if (lookup.entry().isPresent()) {
                Path entry = lookup.entry().get();
                try {
                    OrtSession session = env.createSession(entry.toString(), options);
                    LOG.debug("{}: loaded from the model cache, {}", source.location(), entry);
                    return new Loaded(session, ModelCacheOutcome.HIT);
                } catch (OrtException e) {
                    LOG.debug("{}: ONNX Runtime rejected the cached {} ({}); rebuilding it", source.location(), entry, e.getMessage());
                    cache.evict(entry);
                    corrupt = true;
                }
            }
        }
        ModelCacheOutcome stored = corrupt ? ModelCacheOutcome.REBUILT : ModelCacheOutcome.STORED;
        return fuse ? storeFused(env, source, options, cache, stored) : storeExported(env, source, options, cache, stored);
    }

    /** Reads the model once, hashing it as it is parsed, fuses it and stores the result before loading it from there. */
    private static Loaded storeFused(OrtEnvironment env, ModelSource source, OrtSession.SessionOptions options, ModelFileCache cache,
                                     ModelCacheOutcome stored) throws OrtException {
        MessageDigest sha = ModelFileCache.sha256();
        GraphFusions.FusedModel fused;
        try (InputStream in = new DigestInputStream(source.open(), sha)) {
            fused = GraphFusions.fuse(in);
            in.transferTo(OutputStream.nullOutputStream()); // the digest covers the whole file, whatever the parser left
        } catch (InvalidProtocolBufferException e) {
            return new Loaded(create(env, source, options), ModelCacheOutcome.NOT_APPLICABLE); // ONNX Runtime says what is wrong
        } catch (IOException e) {
            throw new ModelLoadException(source.location(), "could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.warn("{}: graph fusions failed ({}); loading the model as exported", source.location(), e.toString());
            return new Loaded(create(env, source, options), ModelCacheOutcome.NOT_APPLICABLE);
        }
        LOG.debug("{}: {}", source.location(), fused);
        String content = HexFormat.of().formatHex(sha.digest());
        if (!fused.changed() && source.path() != null) {
            // a file with nothing to fuse loads as it is, as fast as a copy would; it may also name weight files
            // beside it, which a copy elsewhere would lose
            return new Loaded(create(env, source, options), ModelCacheOutcome.NOT_APPLICABLE);
        }
        Path entry;
        try {
            entry = cache.store(source, variant(true), fused::writeTo, () -> content);
        } catch (IOException e) {
            LOG.debug("{}: model cache {} cannot be written ({}); loading without it", source.location(), cache.directory(), e.toString());
            return new Loaded(fused.changed() ? createFrom(env, fused, options) : create(env, source, options), ModelCacheOutcome.UNAVAILABLE);
        }
        try {
            return new Loaded(env.createSession(entry.toString(), options), stored);
        } catch (OrtException e) {
            LOG.warn("{}: ONNX Runtime rejected the fused graph ({}); loading the model as exported", source.location(), e.getMessage());
            cache.evict(entry);
            return new Loaded(create(env, source, options), ModelCacheOutcome.NOT_APPLICABLE);
        }
    }

    /** A bundled model without fusions: copied out of its jar into the cache once, hashed on the way. */
    private static Loaded storeExported(OrtEnvironment env, ModelSource source, OrtSession.SessionOptions options,
                                        ModelFileCache cache, ModelCacheOutcome stored) throws OrtException {
        MessageDigest sha = ModelFileCache.sha256();
        Path entry;
        try (InputStream in = new DigestInputStream(source.open(), sha)) {
            entry = cache.store(source, EXPORTED, in::transferTo, () -> HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            LOG.debug("{}: model cache {} cannot be written ({}); loading without it", source.location(), cache.directory(), e.toString());
            return new Loaded(create(env, source, options), ModelCacheOutcome.UNAVAILABLE);
        }
        return new Loaded(env.createSession(entry.toString(), options), stored);
    }

    private static Loaded uncached(OrtEnvironment env, ModelSource source, OrtSession.SessionOptions options, boolean fuse,
                                   ModelCacheOutcome outcome) throws OrtException {
        return new Loaded(fuse ? createFused(env, source, options) : create(env, source, options), outcome);
    }

    private static OrtSession create(OrtEnvironment env, ModelSource source, OrtSession.SessionOptions options) throws OrtException {
        return source.path() != null
                ? env.createSession(source.path().toString(), options)
                : env.createSession(source.readBytes(), options);
    }

    /**
     * Loads the model with its graph fused, without a cache. The fused copy goes to ONNX Runtime through a
     * temporary file rather than a byte array, so the Java heap never holds the ~90 MB model twice.
     */
    private static OrtSession createFused(OrtEnvironment env, ModelSource source, OrtSession.SessionOptions options) throws OrtException {
        GraphFusions.FusedModel fused;
        try (InputStream in = source.open()) {
            fused = GraphFusions.fuse(in);
        } catch (InvalidProtocolBufferException e) {
            return create(env, source, options); // not an ONNX model: ONNX Runtime says what is wrong with it
        } catch (IOException e) {
            throw new ModelLoadException(source.location(), "could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the fusions are an optimisation: a graph they trip over still loads, as exported
            LOG.warn("{}: graph fusions failed ({}); loading the model as exported", source.location(), e.toString());
            return create(env, source, options);
        }
        LOG.debug("{}: {}", source.location(), fused);
        if (!fused.changed()) {
            // read again rather than kept: parsing views of one byte array (read once) peaked ~60 MB higher in
            // RSS on the full model (619-623 vs 555-565 MB, 200 chunks) than parsing the stream
            return create(env, source, options);
        }
        try {
            return createFrom(env, fused, options);
        } catch (OrtException e) {
            LOG.warn("{}: ONNX Runtime rejected the fused graph ({}); loading the model as exported", source.location(), e.getMessage());
            return create(env, source, options);
        }
    }

    private static OrtSession createFrom(OrtEnvironment env, GraphFusions.FusedModel fused, OrtSession.SessionOptions options)
            throws OrtException {
        Path copy = null;
        try {
            copy = Files.createTempFile("parallelrag-fused-", ".onnx");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(copy), 1 << 16)) {
                fused.writeTo(out);
            }
            return env.createSession(copy.toString(), options);
        } catch (IOException e) {
            LOG.debug("no temporary file for the fused model ({}); handing it over in memory", e.toString());
            return env.createSession(fused.toByteArray(), options);
        } finally {
            deleteQuietly(copy);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
