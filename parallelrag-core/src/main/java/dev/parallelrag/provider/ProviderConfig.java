package dev.parallelrag.provider;

import dev.parallelrag.error.ValidationException;
import dev.parallelrag.resilience.ResilienceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Everything needed to talk to one provider: kind, base URL, API key, resilience settings and extra
 * headers. Values not given to the builder come from the environment ({@code OPENAI_API_KEY},
 * {@code OPENAI_BASE_URL}, ...; see {@link ProviderKind}). A missing required key fails at
 * {@link Builder#build()} with a message naming the variable.
 *
 * <p>Each config owns one JDK {@link HttpClient}, created on first use and shared by every model and
 * client made from it: connections are reused, HTTP/2 is used where the server offers it over TLS, and
 * its threads are virtual.
 */
public final class ProviderConfig {

    private final ProviderKind kind;
    private final URI baseUrl;
    private final ApiKey apiKey;
    private final ResilienceConfig resilience;
    private final Map<String, String> headers;
    private volatile HttpClient httpClient;

    private ProviderConfig(ProviderKind kind, URI baseUrl, ApiKey apiKey, ResilienceConfig resilience,
                           Map<String, String> headers) {
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.resilience = resilience;
        this.headers = Map.copyOf(headers);
    }

    /** A builder reading missing values from the process environment. */
    public static Builder builder(ProviderKind kind) {
        return new Builder(kind, System::getenv);
    }

    /** The config the environment describes, with default resilience settings. */
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

    Optional<ApiKey> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    public ResilienceConfig resilience() {
        return resilience;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A copy with other resilience settings (sharing nothing; it gets its own HTTP client). */
    public ProviderConfig withResilience(ResilienceConfig resilience) {
        return new ProviderConfig(kind, baseUrl, apiKey, Objects.requireNonNull(resilience), headers);
    }

    /** The shared HTTP client of this config. */
    HttpClient httpClient() {
        HttpClient c = httpClient;
        if (c == null) {
            synchronized (this) {
                c = httpClient;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .connectTimeout(resilience.connectTimeout())
                            // h2 over TLS via ALPN; plain http stays on 1.1 rather than attempting h2c upgrades
                            .version("https".equalsIgnoreCase(baseUrl.getScheme())
                                    ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                            .executor(Executors.newVirtualThreadPerTaskExecutor())
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .build();
                    httpClient = c;
                }
            }
        }
        return c;
    }

    /** The base URL without user info or query, safe for messages and logs. */
    public String safeBaseUrl() {
        return baseUrl.getScheme() + "://" + baseUrl.getHost() + (baseUrl.getPort() >= 0 ? ":" + baseUrl.getPort() : "")
                + (baseUrl.getPath() == null ? "" : baseUrl.getPath());
    }

    @Override
    public String toString() {
        return "ProviderConfig[" + kind.id() + ", baseUrl=" + safeBaseUrl() + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", attemptTimeout=" + resilience.attemptTimeout() + "]";
    }

    /** Builder; unset values come from the environment, then from the provider's defaults. */
    public static final class Builder {
        private final ProviderKind kind;
        private UnaryOperator<String> env;
        private String baseUrl;
        private ApiKey apiKey;
        private ResilienceConfig resilience;
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

        /** Resilience settings; default {@link ResilienceConfig#defaults()} with this provider's attempt timeout. */
        public Builder resilience(ResilienceConfig resilience) {
            this.resilience = resilience;
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
            if (key == null && kind.apiKeyEnv() != null) {
                String fromEnv = env.apply(kind.apiKeyEnv());
                if (fromEnv != null && !fromEnv.isBlank()) {
                    key = ApiKey.of(fromEnv);
                }
            }
            if (key == null && kind.keyRequired()) {
                throw new ValidationException("apiKey", null, "is required for provider " + kind.id()
                        + ": set the environment variable " + kind.apiKeyEnv() + " or call apiKey(...)");
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
            ResilienceConfig rc = resilience != null ? resilience
                    : ResilienceConfig.builder().attemptTimeout(kind.attemptTimeout()).build();
            return new ProviderConfig(kind, parseBaseUrl(kind, url.strip()), key, rc, headers);
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
