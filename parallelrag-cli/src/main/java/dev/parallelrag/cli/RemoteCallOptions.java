package dev.parallelrag.cli;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.resilience.ResilienceConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --timeout}, {@code --max-attempts}, {@code --rpm}, {@code --tpm}, {@code --breaker-open} and
 * {@code --outage-wait}: how calls to a remote provider are protected. Option parsing only: the values go into the library's {@link ResilienceConfig}, which
 * validates them and holds every default (an unset timeout stays the provider's own).
 */
final class RemoteCallOptions {

    /** The flags, as error messages name them. */
    static final String FLAGS = "--timeout/--max-attempts/--rpm/--tpm/--breaker-open/--outage-wait";

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest one attempt of a remote call may take, e.g. 800ms, 30s, 2m "
                    + "(default: the provider's: 60s for hosted APIs, 180s for Ollama, 120s for other endpoints).")
    Duration timeout;

    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Attempts per remote call, the first included, 1..20 (default: 4; 1 turns retries off).")
    Integer maxAttempts;

    @Option(names = "--rpm", paramLabel = "N", description = "Most requests per minute sent to the provider (default: no limit).")
    Integer requestsPerMinute;

    @Option(names = "--tpm", paramLabel = "N",
            description = "Most tokens per minute sent to the provider, prompts and answers estimated (default: no limit).")
    Long tokensPerMinute;

    @Option(names = "--breaker-open", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the circuit breaker stays open after 5 failed calls in a row before it lets probe "
                    + "calls through (default: 60s).")
    Duration breakerOpen;

    @Option(names = "--outage-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest a call waits for an open circuit breaker (a provider outage) to let it through "
                    + "before it fails; 0 fails at once (default: 3m).")
    Duration outageWait;

    /** Whether any of the flags was given. */
    boolean given() {
        return timeout != null || maxAttempts != null || requestsPerMinute != null || tokensPerMinute != null
                || breakerOpen != null || outageWait != null;
    }

    /** The settings for a remote client: the library's defaults with the given flags; empty when none was given. */
    Optional<ResilienceConfig> resilience() {
        if (!given()) {
            return Optional.empty();
        }
        try {
            ResilienceConfig.Builder b = ResilienceConfig.builder();
            if (timeout != null) {
                b.attemptTimeout(timeout);
            }
            if (maxAttempts != null) {
                b.maxAttempts(maxAttempts);
            }
            if (requestsPerMinute != null) {
                b.requestsPerMinute(requestsPerMinute);
            }
            if (tokensPerMinute != null) {
                b.tokensPerMinute(tokensPerMinute);
            }
            if (breakerOpen != null) {
                b.breakerOpenDuration(breakerOpen);
            }
            if (outageWait != null) {
                b.outageWait(outageWait);
            }
            return Optional.of(b.build());
        } catch (ValidationException e) {
            throw new ValidationException(flag(e.field()), e.value(), e.rule()); // the library's rule, named by the flag
        }
    }

    /** Refuses the flags where no remote call is made, rather than ignoring them. */
    void requireRemote(boolean remote, String why) {
        if (given() && !remote) {
            throw new ValidationException(FLAGS, "given",
                    "apply to remote providers only; " + why);
        }
    }

    private static String flag(String field) {
        return switch (field) {
            case "maxAttempts" -> "--max-attempts";
            case "requestsPerMinute" -> "--rpm";
            case "tokensPerMinute" -> "--tpm";
            case "attemptTimeout" -> "--timeout";
            case "breakerOpenDuration" -> "--breaker-open";
            case "outageWait" -> "--outage-wait";
            default -> field;
        };
    }

    /** Parses {@code 800ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601 such as {@code PT30S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(v);
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    };
                }
                return Duration.parse(value.strip());
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration; write it like 800ms, 30s, 2m or 1h");
            }
        }
    }
}
