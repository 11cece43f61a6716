package dev.parallelrag.store;

import dev.parallelrag.error.ValidationException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where an index lives and in which kind of store: a directory of the embedded Lucene store, or a database a
 * store plug-in reaches by URL (the pgvector store of {@code parallelrag-pgvector}). The engine opens it through
 * the {@link dev.parallelrag.store.spi.VectorStoreProvider} of its kind.
 *
 * <p>An address may carry credentials (a JDBC URL's {@code ?password=}), and so may a setting named
 * {@value #PASSWORD}: {@link #toString()} shows neither, and errors name the location by it.
 *
 * @param kind     the store kind ({@code lucene}, {@code pgvector}), or null for a directory: the kind of the index
 *                 found there, else the default kind of a new index
 * @param address  the directory or URL; null when the kind's plug-in finds it elsewhere (and says where if it cannot)
 * @param settings the kind's own settings of the location, e.g. {@code table} for pgvector (never null)
 */
public record StoreLocation(String kind, String address, Map<String, String> settings) {

    /** The setting a password goes in; never shown. */
    public static final String PASSWORD = "password";

    public StoreLocation {
        if (kind != null && kind.isBlank()) {
            throw new ValidationException("store", kind, "must be a store kind, e.g. lucene or pgvector");
        }
        if (kind == null && (address == null || address.isBlank())) {
            throw new ValidationException("location", address, "must be the index directory, e.g. .parallelrag");
        }
        if (address != null && address.isBlank()) {
            throw new ValidationException("store.address", address, "must be a directory or URL, or absent");
        }
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** An index directory: the kind of the index there, or the default kind (lucene) for a new one. */
    public static StoreLocation directory(Path directory) {
        if (directory == null) {
            throw new ValidationException("location", null, "must be the index directory, e.g. .parallelrag");
        }
        return new StoreLocation(null, directory.toString(), Map.of());
    }

    /** A store of {@code kind} at {@code address} (may be null) with its settings. */
    public static StoreLocation of(String kind, String address, Map<String, String> settings) {
        return new StoreLocation(Objects.requireNonNull(kind, "kind"), address, settings);
    }

    /** The address as a directory. */
    public Path path() {
        if (address == null) {
            throw new ValidationException("location", null, "must be the index directory, e.g. .parallelrag");
        }
        return Path.of(address);
    }

    /** A setting, or null. */
    public String setting(String name) {
        return settings.get(name);
    }

    /**
     * How messages name the location: a directory as its absolute path; otherwise the kind, the address without its
     * query string and user information (which may carry a password), and the settings but the password.
     */
    @Override
    public String toString() {
        if (kind == null) {
            return Path.of(address).toAbsolutePath().normalize().toString();
        }
        StringBuilder s = new StringBuilder(kind);
        if (address != null) {
            s.append(' ').append(redacted(address));
        }
        Map<String, String> shown = new TreeMap<>(settings);
        shown.remove(PASSWORD);
        shown.forEach((k, v) -> s.append(' ').append(k).append(' ').append(v));
        return s.toString();
    }

    /** {@code address} without a query string and without {@code user:password@} after {@code //}. */
    public static String redacted(String address) {
        String s = address;
        int query = s.indexOf('?');
        if (query >= 0) {
            s = s.substring(0, query);
        }
        int authority = s.indexOf("//");
        if (authority >= 0) {
            int at = s.indexOf('@', authority + 2);
            int slash = s.indexOf('/', authority + 2);
            if (at >= 0 && (slash < 0 || at < slash)) {
                s = s.substring(0, authority + 2) + s.substring(at + 1);
            }
        }
        return s;
    }
}
