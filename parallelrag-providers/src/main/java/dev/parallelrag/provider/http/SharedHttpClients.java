package dev.parallelrag.provider.http;

import dev.parallelrag.provider.ProviderConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP clients every provider model sends with: one per (connect timeout, protocol), shared by all
 * models and configs that agree on both, so connections to a host are pooled and reused across the chat
 * and embedding models of a provider. HTTP/2 over TLS (negotiated by ALPN); plain http stays on 1.1
 * rather than attempting h2c upgrades. The clients' threads are virtual. They live as long as the JVM,
 * as connection pools do.
 */
final class SharedHttpClients {

    private record Key(Duration connectTimeout, HttpClient.Version version) {
    }

    private static final Map<Key, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SharedHttpClients() {
    }

    static HttpClient forConfig(ProviderConfig config) {
        HttpClient.Version version = "https".equalsIgnoreCase(config.baseUrl().getScheme())
                ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        return CLIENTS.computeIfAbsent(new Key(config.connectTimeout(), version), key -> HttpClient.newBuilder()
                .connectTimeout(key.connectTimeout())
                .version(key.version())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
    }
}
