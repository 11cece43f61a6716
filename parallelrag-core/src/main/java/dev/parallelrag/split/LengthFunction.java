package dev.parallelrag.split;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.parallelrag.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How splitters measure text: Unicode code points by default (an emoji counts as 1), or BPE tokens
 * of a chosen encoding. Implementations are thread-safe.
 */
public sealed interface LengthFunction permits LengthFunction.CodePoints, LengthFunction.Tokens {

    /** Length of the given text in this function's unit. */
    int length(CharSequence text);

    /** Short unit name for messages and docs: {@code code points} or {@code cl100k_base tokens}. */
    String unit();

    static LengthFunction codePoints() {
        return CodePoints.INSTANCE;
    }

    /** Token length in the named encoding ({@code cl100k_base}, {@code o200k_base}, {@code p50k_base}, {@code r50k_base}). */
    static LengthFunction tokens(String encodingName) {
        return new Tokens(TokenEncodings.get(encodingName));
    }

    /** Counts Unicode code points. */
    enum CodePoints implements LengthFunction {
        INSTANCE;

        @Override
        public int length(CharSequence text) {
            return Character.codePointCount(text, 0, text.length());
        }

        @Override
        public String unit() {
            return "code points";
        }
    }

    /** Counts BPE tokens with jtokkit. */
    record Tokens(Encoding encoding) implements LengthFunction {

        @Override
        public int length(CharSequence text) {
            return encoding.countTokensOrdinary(WellFormedText.of(text));
        }

        @Override
        public String unit() {
            return encoding.getName() + " tokens";
        }
    }

    /** The shared jtokkit registry and the encoding names we accept. */
    final class TokenEncodings {
        private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

        private TokenEncodings() {
        }

        /** Looks up an encoding by name, failing with a message that lists the valid names. */
        public static Encoding get(String name) {
            if (name == null) {
                throw new ValidationException("encoding", null, "must be one of " + validNames());
            }
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (EncodingType type : EncodingType.values()) {
                if (type.getName().equals(wanted)) {
                    return REGISTRY.getEncoding(type);
                }
            }
            throw new ValidationException("encoding", name, "is not a known encoding; use one of " + validNames());
        }

        public static String validNames() {
            return Arrays.stream(EncodingType.values()).map(EncodingType::getName).collect(Collectors.joining(", "));
        }
    }
}
