package dev.parallelrag.provider;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.parallelrag.Internal;
import dev.parallelrag.error.ValidationException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An API key. {@link #toString()} prints {@code ****}, so a key never ends up in logs, messages or dumps by
 * accident; its text is read only where a request is signed ({@link #value()}). Public only so that the
 * wire formats in {@code parallelrag-providers} can sign requests; users pass keys as strings.
 *
 * <p>A key with a control character (a line break from a file, a pasted tab) is refused when it is configured:
 * it could never be sent (HTTP header values exclude them), and the HTTP stack's own error would print it.
 */
@Internal
public final class ApiKey {

    private final String value;
    /** The key as servers echo it back: raw, JSON-escaped, URL-encoded; longest first. */
    private final List<String> echoes;

    private ApiKey(String value) {
        this.value = value;
        this.echoes = echoesOf(value);
    }

    /** A key given through the API ({@code apiKey(...)}). */
    public static ApiKey of(String value) {
        return of("apiKey", value);
    }

    /**
     * A key read from {@code source} (the name of a builder field, environment variable or file), named in the
     * error if the key is refused. Leading and trailing whitespace (a file's final line break) is dropped.
     */
    public static ApiKey of(String source, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(source, "(blank)", "must not be blank");
        }
        String key = value.strip();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                // the key is never printed, not even in part: only what is wrong and where to look
                throw new ValidationException(source, "(hidden)", String.format(Locale.ROOT,
                        "holds a control character (U+%04X) inside the key; keys are printable text: remove the stray "
                                + "line break or tab where the key is set", (int) c));
            }
        }
        return new ApiKey(key);
    }

    /** The key's text, to sign a request with; never log or print it. */
    public String value() {
        return value;
    }

    /**
     * Replaces every occurrence of the key in {@code text} with {@code ****}: as it is, JSON-escaped (with or
     * without {@code \/}) and URL-encoded (either hex case, {@code +} or {@code %20} for a space), the ways
     * providers and proxies echo a key back in an error body or a URL.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String echo : echoes) {
            out = out.replace(echo, "****");
        }
        return out;
    }

    private static List<String> echoesOf(String key) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(key);
        String json = jsonEscaped(key);
        forms.add(json);
        forms.add(json.replace("/", "\\/"));
        forms.add(jsonEscaped(json.replace("/", "\\/"))); // a message quoting the escaped key, in a JSON body
        String url = URLEncoder.encode(key, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        forms.add(lowerCaseHex(url));
        forms.add(lowerCaseHex(url.replace("+", "%20")));
        return forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    private static String jsonEscaped(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static String lowerCaseHex(String percentEncoded) {
        StringBuilder sb = new StringBuilder(percentEncoded);
        for (int i = sb.indexOf("%"); i >= 0 && i + 2 < sb.length(); i = sb.indexOf("%", i + 3)) {
            sb.replace(i + 1, i + 3, sb.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "****";
    }
}
