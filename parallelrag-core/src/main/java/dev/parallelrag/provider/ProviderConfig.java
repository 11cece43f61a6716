package dev.parallelrag.provider;

import dev.parallelrag.error.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where and how to reach one provider: kind, base URL, API key, connect timeout and extra headers. Pure
 * connection settings: retries, limits and the attempt and stream timeouts belong to the client that
 * wraps a model ({@code LlmClient.builder(model).resilience(...)}), which resolves an unset attempt timeout
 * to this provider's default ({@link ProviderKind#attemptTimeout()}). Values not given to the builder come from the environment ({@code OPENAI_API_KEY},
 * {@code OPENAI_BASE_URL}, ...; see {@link ProviderKind}). A missing required key fails at
 * {@link Builder#build()} with a message naming the variable.
 *
 * <p>Pure configuration: it opens no connection. The wire-format implementations
 * ({@link dev.parallelrag.provider.spi.WireFormatProvider}) own the HTTP clients.
 */
public final class ProviderConfig {

    /** How long opening a connection may take, when the builder is not told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ProviderKind kind;
    private final URI baseUrl;
    private final ApiKey apiKey;
    private final Duration connectTimeout;
    private final Map<String, String> headers;

    private ProviderConfig(ProviderKind kind, URI baseUrl, ApiKey apiKey, Duration connectTimeout,
                           Map<String, String> headers) {
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
        this.headers = Map.copyOf(headers);
    }

    /** A builder reading missing values from the process environment. */
    public static Builder builder(ProviderKind kind) {
        return new Builder(kind, System::getenv);
    }

    /** The config the environment describes. */
    public static ProviderConfig fromEnvironment(ProviderKind kind) {
        return builder(kind).build();
    }

    public ProviderKind kind() {
        return kind;
    }

    /** The base URL as configured, with the API version path ({@code /v1}, ...) added when it had no path. */
    public URI baseUrl() {
        return baseUrl;
    }

    public boolean hasApiKey() {
        return apiKey != null;
    }

    /** The key, for the wire format that signs requests with it; it prints as {@code ****}. */
    public Optional<ApiKey> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** How long opening a connection may take; part of every attempt's timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The base URL without user info or query, safe for messages and logs. */
    public String safeBaseUrl() {
        return baseUrl.getScheme() + "://" + baseUrl.getHost() + (baseUrl.getPort() >= 0 ? ":" + baseUrl.getPort() : "")
                + (baseUrl.getPath() == null ? "" : baseUrl.getPath());
    }

    @Override
    public String toString() {
        return "ProviderConfig[" + kind.id() + ", baseUrl=" + safeBaseUrl() + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", connectTimeout=" + connectTimeout + "]";
    }

    /** Builder; unset values come from the environment, then from the provider's defaults. */
    public static final class Builder {
        private final ProviderKind kind;
        private UnaryOperator<String> env;
        private String baseUrl;
        private ApiKey apiKey;
        private String apiKeyVariable;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(ProviderKind kind, UnaryOperator<String> env) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.env = env;
        }

        /** Overrides the base URL, e.g. a proxy, a gateway or a test server. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = ApiKey.of(apiKey);
            return this;
        }

        /**
         * The environment variable the key is read from when {@link #apiKey} is not given; default the provider's
         * ({@code OPENAI_API_KEY}, ...). A second key of the same provider, say a fallback's, lives in another one.
         */
        public Builder apiKeyVariable(String name) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ValidationException("apiKeyVariable", name, "must be an environment variable name such as"
                        + " OPENAI_BACKUP_API_KEY (letters, digits and _, not starting with a digit)");
            }
            this.apiKeyVariable = name;
            return this;
        }

        /** How long opening a connection may take; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ValidationException("connectTimeout", timeout, "must be a positive duration, e.g. 10s");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** An extra header on every request (e.g. an organization or gateway header). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Where unset values are looked up; default {@link System#getenv(String)}. Tests pass a map. */
        public Builder environment(UnaryOperator<String> env) {
            this.env = Objects.requireNonNull(env, "environment");
            return this;
        }

        public ProviderConfig build() {
            ApiKey key = apiKey;
            String keyVariable = apiKeyVariable != null ? apiKeyVariable : kind.apiKeyEnv();
            if (key == null && keyVariable != null) {
                String fromEnv = env.apply(keyVariable);
                if (fromEnv != null && !fromEnv.isBlank()) {
                    key = ApiKey.of(keyVariable, fromEnv);
                }
            }
            if (key == null && (kind.keyRequired() || apiKeyVariable != null)) {
                throw new ValidationException("apiKey", null, "is required for provider " + kind.id()
                        + ": set the environment variable " + keyVariable + " or call apiKey(...)");
            }
            String url = baseUrl;
            if (url == null && kind.baseUrlEnv() != null) {
                url = env.apply(kind.baseUrlEnv());
            }
            if (url == null || url.isBlank()) {
                url = kind.defaultBaseUrl();
            }
            if (url == null || url.isBlank()) {
                throw new ValidationException("baseUrl", null, "is required for provider " + kind.id()
                        + ": set " + kind.baseUrlEnv() + " or call baseUrl(...), e.g. http://localhost:8000/v1");
            }
            return new ProviderConfig(kind, parseBaseUrl(kind, url.strip()), key, connectTimeout, headers);
        }

        private static URI parseBaseUrl(ProviderKind kind, String url) {
            String withScheme = url.contains("://") ? url : "http://" + url; // OLLAMA_HOST may be "host:port"
            URI uri;
            try {
                uri = URI.create(withScheme);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("baseUrl", url, "is not a valid URL (e.g. https://api.example.com/v1)");
            }
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ValidationException("baseUrl", url, "must be an http or https URL with a host");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.isEmpty()) {
                path = kind.apiRootPath();
            }
            return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
        }
    }
}
