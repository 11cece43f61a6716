package dev.parallelrag.server;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.jobs.IngestJobsConfig;
import dev.parallelrag.server.auth.ApiKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Immutable settings of a {@link ParallelRagServer}. Build one with {@link #builder()}; every value is checked when
 * {@link Builder#build()} runs, and a bad one fails with a {@link ValidationException} naming the setting, the value
 * and the fix.
 *
 * <p>Defaults, each for a reason:
 * <ul>
 *   <li>{@code host} {@value #DEFAULT_HOST}: only this machine can reach a server nobody chose to expose.</li>
 *   <li>{@code port} {@value #DEFAULT_PORT}; 0 binds a free port (tests), read back with {@link ParallelRagServer#port()}.</li>
 *   <li>{@code managementPort} none: {@code /metrics} and {@code /health/*} are served on {@code port}. When set, they
 *       move to that port (and only there), so a scraper or a probe can reach them without reaching the API.</li>
 *   <li>{@code apiKeys} none: {@code /v1/*} is open, which only a loopback {@code host} allows. Any other host needs
 *       keys ({@link ApiKeys}): a server reachable from other machines with no key would answer anyone.</li>
 *   <li>{@code maxJsonBodyBytes} {@value #DEFAULT_MAX_JSON_BODY_BYTES} (1 MiB): a question, a search or a chat
 *       history fits many times over; anything larger is answered 413 before it is read.</li>
 *   <li>{@code maxUploadBytes} {@value #DEFAULT_MAX_UPLOAD_BYTES} (256 MiB): the limit of one upload request (the
 *       routes registered with {@link Routes#upload}), files and form fields together.</li>
 *   <li>{@code sseHeartbeat} 10 s: the comment line a server-sent event stream sends while it has nothing else to
 *       say, below the 15 s after which common proxies cut a silent connection. At most {@link #MAX_SSE_HEARTBEAT}.</li>
 *   <li>{@code warmUp} true: {@link ParallelRagServer#start} loads the embedding model in the background, so the
 *       first question pays no model load and {@code /health/ready} turns true once it is loaded.</li>
 *   <li>{@code ingestJobs} {@link IngestJobsConfig#defaults()}: the bounds of the ingest jobs that
 *       {@code POST /v1/documents} starts (jobs running at once, jobs waiting, files per job, how many ended jobs
 *       are remembered and for how long); each default and its reason is in {@link IngestJobsConfig}.</li>
 * </ul>
 *
 * @param host             address to bind: a name or an IP literal
 * @param port             API port, 0..65535 (0: a free one)
 * @param managementPort   port of {@code /metrics} and {@code /health/*}, if they have their own
 * @param apiKeys          the keys {@code /v1/*} takes; none is allowed only on a loopback {@code host}
 * @param maxJsonBodyBytes largest request body of every route but the upload routes
 * @param maxUploadBytes   largest request body of an upload route
 * @param sseHeartbeat     longest silence of an event stream
 * @param warmUp           load the embedding model when the server starts
 * @param ingestJobs       bounds of the ingest jobs of {@code POST /v1/documents}
 */
public record ServerConfig(String host, int port, OptionalInt managementPort, ApiKeys apiKeys, long maxJsonBodyBytes,
                           long maxUploadBytes, Duration sseHeartbeat, boolean warmUp, IngestJobsConfig ingestJobs) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_JSON_BODY_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 256L << 20;
    public static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(10);
    /** A heartbeat rarer than this no longer keeps a connection open through a proxy or a load balancer. */
    public static final Duration MAX_SSE_HEARTBEAT = Duration.ofMinutes(5);

    /** Validates like the builder, so a config can never hold an invalid value. */
    public ServerConfig {
        if (host == null || host.isBlank() || !host.strip().equals(host)) {
            throw new ValidationException("host", host, "must be an address to bind, e.g. 127.0.0.1 (this machine only)"
                    + " or 0.0.0.0 (every interface)");
        }
        checkPort("port", port);
        if (managementPort == null) {
            throw new ValidationException("managementPort", null, "must be given (OptionalInt.empty() for none)");
        }
        if (managementPort.isPresent()) {
            checkPort("managementPort", managementPort.getAsInt());
            if (managementPort.getAsInt() == port && port != 0) {
                throw new ValidationException("managementPort", port, "is the API port; give another port, or none to"
                        + " serve /metrics and /health on the API port");
            }
        }
        if (ingestJobs == null) {
            throw new ValidationException("ingestJobs", null, "must be given (IngestJobsConfig.defaults() for the"
                    + " defaults)");
        }
        if (apiKeys == null) {
            throw new ValidationException("apiKeys", null, "must be given (ApiKeys.none() for none, on a loopback host)");
        }
        if (apiKeys.isEmpty() && !loopback(host)) {
            throw new ValidationException("host", host, "is reachable from other machines and no API key is configured,"
                    + " so anyone could call the API; add keys (--api-keys-file FILE, or " + ApiKeys.ENV
                    + "; ServerConfig.apiKeys) or bind a loopback address such as 127.0.0.1");
        }
        checkPositive("maxJsonBodyBytes", maxJsonBodyBytes, "e.g. 1048576 (1 MiB, the default)");
        checkPositive("maxUploadBytes", maxUploadBytes, "e.g. 268435456 (256 MiB, the default)");
        if (sseHeartbeat == null || sseHeartbeat.isNegative() || sseHeartbeat.isZero()
                || sseHeartbeat.compareTo(MAX_SSE_HEARTBEAT) > 0) {
            throw new ValidationException("sseHeartbeat", sseHeartbeat, "must be more than 0 and at most "
                    + MAX_SSE_HEARTBEAT.toMinutes() + " minutes (default 10 s; proxies often cut a stream silent for 15 s)");
        }
    }

    /** Whether every address {@code host} names is a loopback one (127.0.0.0/8, ::1). */
    private static boolean loopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw new ValidationException("host", host, "cannot be resolved to an address of this machine; give an IP"
                    + " address or a name this machine resolves");
        }
    }

    private static void checkPort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw new ValidationException(field, port, "must be between 0 and 65535 (0 binds a free port)");
        }
    }

    private static void checkPositive(String field, long value, String example) {
        if (value < 1) {
            throw new ValidationException(field, value, "must be at least 1 byte, " + example);
        }
    }

    /** The documented defaults. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder().host(host).port(port).apiKeys(apiKeys).maxJsonBodyBytes(maxJsonBodyBytes).maxUploadBytes(maxUploadBytes)
                .sseHeartbeat(sseHeartbeat).warmUp(warmUp).ingestJobs(ingestJobs);
        b.managementPort = managementPort;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private OptionalInt managementPort = OptionalInt.empty();
        private ApiKeys apiKeys = ApiKeys.none();
        private long maxJsonBodyBytes = DEFAULT_MAX_JSON_BODY_BYTES;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private Duration sseHeartbeat = DEFAULT_SSE_HEARTBEAT;
        private boolean warmUp = true;
        private IngestJobsConfig ingestJobs = IngestJobsConfig.defaults();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serve {@code /metrics} and {@code /health/*} on this port only (0: a free one). */
        public Builder managementPort(int managementPort) {
            this.managementPort = OptionalInt.of(managementPort);
            return this;
        }

        /** Serve {@code /metrics} and {@code /health/*} on the API port (the default). */
        public Builder noManagementPort() {
            this.managementPort = OptionalInt.empty();
            return this;
        }

        /** The keys {@code /v1/*} takes ({@link ApiKeys#read}, {@link ApiKeys#fromEnvironment}); default none. */
        public Builder apiKeys(ApiKeys apiKeys) {
            this.apiKeys = apiKeys;
            return this;
        }

        public Builder maxJsonBodyBytes(long maxJsonBodyBytes) {
            this.maxJsonBodyBytes = maxJsonBodyBytes;
            return this;
        }

        public Builder maxUploadBytes(long maxUploadBytes) {
            this.maxUploadBytes = maxUploadBytes;
            return this;
        }

        public Builder sseHeartbeat(Duration sseHeartbeat) {
            this.sseHeartbeat = sseHeartbeat;
            return this;
        }

        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /** The bounds of the ingest jobs ({@link IngestJobsConfig#builder()}); default {@link IngestJobsConfig#defaults()}. */
        public Builder ingestJobs(IngestJobsConfig ingestJobs) {
            this.ingestJobs = ingestJobs;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, managementPort, apiKeys, maxJsonBodyBytes, maxUploadBytes, sseHeartbeat, warmUp,
                    ingestJobs);
        }
    }
}
