package dev.parallelrag.server.auth;

import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys that may call {@code /v1/*}, held only as SHA-256 hashes: the key itself is dropped as soon as it is read,
 * and a presented key is hashed and compared with every stored hash in constant time
 * ({@link MessageDigest#isEqual}), so neither the memory nor the timing of a comparison gives a key away.
 *
 * <p><b>Format</b>, of a keys file and of {@value #ENV} alike: one key per entry, then optional settings:
 * <pre>
 * # comments and blank lines are ignored
 * 3f9c0a7e5b1d4c2e8a6f0b9d7c5e3a1f                    (no limits)
 * 8d2b6f4a0c9e7d5b3a1f8e6c4a2d0b9f rpm=60 concurrency=4 name=batch-jobs
 * </pre>
 * The key is the first word: at least {@value #MIN_KEY_LENGTH} printable ASCII characters (what an HTTP header
 * carries: letters, digits, quotes and other symbols; {@code openssl rand -hex 24} makes a good one). {@code rpm=N}: requests a minute the key may start;
 * {@code concurrency=N}: its requests running at once; both answered 429 with {@code Retry-After} beyond the limit.
 * {@code name=LABEL} names the key in logs and errors (default {@code key-N}, its position in the file, or
 * {@code env-N} in {@value #ENV}). In {@value #ENV} entries are separated by newlines or commas (a key with a comma
 * goes in a file).
 *
 * <p>Errors name the source and the line, never the key. {@link #toString()} says only how many keys there are.
 */
public final class ApiKeys {

    /** The environment variable {@code parallelrag serve} reads keys from, besides {@code --api-keys-file}. */
    public static final String ENV = "PARALLELRAG_API_KEYS";
    /** Shorter keys can be guessed. */
    public static final int MIN_KEY_LENGTH = 16;

    private static final ApiKeys NONE = new ApiKeys(List.of());

    private record Entry(byte[] hash, ClientKey key) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No keys: a loopback-only server whose {@code /v1/*} needs none. */
    public static ApiKeys none() {
        return NONE;
    }

    /**
     * Keys in the format above, one entry per line.
     *
     * @param source what to name in an error, e.g. {@code --api-keys-file} or the file's path
     * @throws ValidationException naming the source and the line of a bad entry
     */
    public static ApiKeys parse(String text, String source) {
        return parse(text.split("\\R", -1), source, "line", "key-");
    }

    /** Keys from the value of {@value #ENV}: entries separated by newlines or commas. */
    public static ApiKeys fromEnvironment(String value) {
        return parse(value.split("[,\\r\\n]", -1), ENV, "entry", "env-");
    }

    /**
     * Reads a keys file.
     *
     * @throws ValidationException when it cannot be read or an entry is bad, naming the file and the line
     */
    public static ApiKeys read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ValidationException("apiKeysFile", file, "cannot be read (" + e.getClass().getSimpleName()
                    + "); give a readable file with one key per line");
        }
        return parse(text, file.toString());
    }

    /** {@code unit}: how an error names an entry's place; {@code prefix}: of the default names, distinct per source. */
    private static ApiKeys parse(String[] parts, String source, String unit, String prefix) {
        List<Entry> entries = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String entry = parts[i].strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String where = unit + " " + (i + 1);
            String[] words = entry.split("\\s+");
            String key = words[0];
            if (key.length() < MIN_KEY_LENGTH) {
                throw invalid(source, where, "has a key of " + key.length() + " characters; a key needs at least "
                        + MIN_KEY_LENGTH + " (e.g. the output of `openssl rand -hex 24`)");
            }
            if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw invalid(source, where, "has a key with a character outside printable ASCII, which an HTTP header"
                        + " cannot carry; use letters, digits and symbols only");
            }
            ClientKey client = settings(words, prefix + (entries.size() + 1), source, where);
            byte[] hash = sha256(key);
            for (int j = 0; j < entries.size(); j++) {
                if (MessageDigest.isEqual(entries.get(j).hash(), hash)) {
                    throw invalid(source, where, "repeats the key of " + unit + " " + positions.get(j)
                            + "; give each key once");
                }
            }
            if (!names.add(client.name())) {
                throw invalid(source, where, "repeats the name " + client.name() + "; give each key its own name");
            }
            entries.add(new Entry(hash, client));
            positions.add(i + 1);
        }
        return entries.isEmpty() ? NONE : new ApiKeys(entries);
    }

    private static ClientKey settings(String[] words, String defaultName, String source, String where) {
        String name = defaultName;
        int rpm = 0;
        int concurrency = 0;
        for (int w = 1; w < words.length; w++) {
            String word = words[w];
            int eq = word.indexOf('=');
            String option = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? "" : word.substring(eq + 1);
            switch (option) {
                case "rpm" -> rpm = number(value, "rpm", source, where);
                case "concurrency" -> concurrency = number(value, "concurrency", source, where);
                case "name" -> name = value;
                default -> throw invalid(source, where, "has an unknown setting '" + option
                        + "' after the key; the settings are rpm=N, concurrency=N and name=LABEL");
            }
        }
        try {
            return new ClientKey(name, rpm, concurrency);
        } catch (ValidationException e) {
            throw invalid(source, where, "has " + e.field() + " " + e.rule());
        }
    }

    private static int number(String value, String option, String source, String where) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw invalid(source, where, "has " + option + "=" + n + "; give at least 1, or leave it out for no limit");
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(source, where, "has " + option + " '" + value + "', not a whole number; e.g. " + option + "=10");
        }
    }

    private static ValidationException invalid(String source, String where, String rule) {
        return new ValidationException(source, where, rule);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** These keys and those of {@code other}, which must not repeat one of these. */
    public ApiKeys and(ApiKeys other) {
        List<Entry> all = new ArrayList<>(entries);
        for (Entry e : other.entries) {
            for (Entry mine : entries) {
                if (MessageDigest.isEqual(mine.hash(), e.hash())) {
                    throw new ValidationException("apiKeys", e.key().name(), "is a key given twice (in the keys file and"
                            + " in " + ENV + "); give each key once");
                }
                if (mine.key().name().equals(e.key().name())) {
                    throw new ValidationException("apiKeys", e.key().name(), "names two keys; give each key its own name");
                }
            }
            all.add(e);
        }
        return all.isEmpty() ? NONE : new ApiKeys(all);
    }

    /**
     * The key a request presented, if it is one of these. Every stored hash is compared, matched or not, each in
     * constant time: how long this takes says nothing about which key, or how much of one, was right.
     */
    public Optional<ClientKey> match(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        ClientKey found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash)) {
                found = e.key();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Every key's label and limits, in order; no key or hash. */
    public List<ClientKey> clients() {
        return entries.stream().map(Entry::key).toList();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "ApiKeys[" + entries.size() + (entries.size() == 1 ? " key]" : " keys]");
    }
}
