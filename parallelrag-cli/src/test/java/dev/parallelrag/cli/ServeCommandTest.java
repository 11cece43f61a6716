package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallelrag.testkit.FakeProviderServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parallelrag serve} in a child JVM: it serves the index on a free loopback port, turns ready once the local
 * model is loaded, and on SIGTERM closes the server and then the index (which stays intact); bad options are usage
 * errors naming the option.
 */
class ServeCommandTest {

    /** The line serve prints once it listens: the index (a directory, or {@code pgvector URL table NAME}) and the port. */
    private static final Pattern SERVING = Pattern.compile("serving .+ on http://127\\.0\\.0\\.1:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path work;

    @BeforeAll
    static void ingest() throws Exception {
        Path sample = Files.createDirectories(work.resolve("sample"));
        try (Stream<Path> files = Files.list(Path.of("../examples/sample"))) {
            for (Path f : files.toList()) {
                Files.copy(f, sample.resolve(f.getFileName()));
            }
        }
        CliProcess ingest = CliProcess.run(work, Map.of(), "ingest", "sample", "--index", "idx");
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    }

    @Test
    void servesUntilSigtermThenClosesTheServerAndTheIndex() throws Exception {
        Path outFile = work.resolve("serve.out");
        Path errFile = work.resolve("serve.err");
        Process serve = CliProcess.builder(work, Map.of(), List.of(), "serve", "--index", "idx", "--port", "0",
                        "--size", "large")
                .redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        try {
            int port = awaitPort(serve, outFile, errFile);

            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = awaitReady(port);
            assertThat(ready.body()).contains("\"ready\":true").contains("bge-small-en-v1.5-q");
            assertThat(ready.body()).as("--size reaches the engine").contains("\"size\":\"large\"")
                    .contains("\"cpu_pool_size\":32").contains("\"io_concurrency\":64");

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).isEqualTo(CliErrors.TERMINATED);
            assertThat(Files.readString(outFile)).contains("stopping:").endsWith("stopped\n");
        } finally {
            serve.destroyForcibly();
        }
        CliProcess verify = CliProcess.run(work, Map.of(), "verify", "--index", "idx");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void theLlmAndItsModelAreTheEnginesAndReadyReportsThem() throws Exception {
        try (FakeProviderServer provider = FakeProviderServer.builder().start()) {
            Map<String, String> env = Map.of("OPENAI_BASE_URL", provider.openAiBaseUrl(), "OPENAI_API_KEY", "test-key");
            Path outFile = work.resolve("serve-llm.out");
            Process serve = CliProcess.builder(work, env, List.of(), "serve", "--index", "idx", "--port", "0",
                    "--llm", "openai", "--model", "gpt-served").redirectOutput(outFile.toFile())
                    .redirectError(work.resolve("serve-llm.err").toFile()).start();
            try {
                int port = awaitPort(serve, outFile, work.resolve("serve-llm.err"));
                HttpResponse<String> ready = awaitReady(port);

                assertThat(ready.body()).contains("\"llm\":{\"status\":\"UP\"").contains("gpt-served");
            } finally {
                serve.destroy();
                serve.waitFor(60, TimeUnit.SECONDS);
                serve.destroyForcibly();
            }
        }
    }

    @Test
    void keysFromTheFileAndTheEnvironmentGuardV1AndHealthNeedsNone() throws Exception {
        String fileKey = "file-key-0123456789abcdef";
        String envKey = "env-key-0123456789abcdef";
        Files.writeString(work.resolve("keys.txt"), "# keys of the test\n" + fileKey + " rpm=100 name=tests\n");
        Path outFile = work.resolve("serve-keys.out");
        Path errFile = work.resolve("serve-keys.err");
        Process serve = CliProcess.builder(work, Map.of("PARALLELRAG_API_KEYS", envKey), List.of(), "serve", "--index",
                "idx", "--port", "0", "--api-keys-file", "keys.txt").redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile()).start();
        try {
            int port = awaitPort(serve, outFile, errFile);
            assertThat(Files.readString(outFile)).contains("/v1/* needs one of 2 API keys");

            assertThat(get(port, "/v1/models", null).statusCode()).isEqualTo(401);
            assertThat(get(port, "/v1/models", "not-a-key-0123456789abcdef").statusCode()).isEqualTo(401);
            assertThat(get(port, "/v1/models", fileKey).statusCode()).isNotEqualTo(401);
            assertThat(get(port, "/v1/models", envKey).statusCode()).isNotEqualTo(401);
            assertThat(get(port, "/health/live", null).statusCode()).isEqualTo(200);
        } finally {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        assertThat(Files.readString(outFile) + Files.readString(errFile)).doesNotContain(fileKey).doesNotContain(envKey);
    }

    @Test
    void aNonLoopbackHostWithoutKeysIsRefusedNamingHostAndHowToAddKeys() throws Exception {
        CliProcess run = CliProcess.run(work, Map.of(), "serve", "--index", "idx", "--host", "0.0.0.0", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).startsWith("parallelrag serve: --host = \"0.0.0.0\": is reachable from other machines")
                .contains("--api-keys-file").contains("PARALLELRAG_API_KEYS").contains("127.0.0.1");
        assertThat(run.out()).doesNotContain("serving");
    }

    @Test
    void aBadKeysFileNamesTheOptionAndTheLineButNotTheKey() throws Exception {
        String key = "bad-key-0123456789abcdef";
        Files.writeString(work.resolve("bad-keys.txt"), "\n" + key + " rpm=lots\n");

        CliProcess run = CliProcess.run(work, Map.of(), "serve", "--index", "idx", "--port", "0", "--api-keys-file",
                "bad-keys.txt");

        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).startsWith("parallelrag serve: --api-keys-file = \"line 2\": has rpm 'lots'")
                .doesNotContain(key);
    }

    @Test
    void anUnknownSizeIsAUsageErrorNamingTheOptionAndTheSizes() throws Exception {
        CliProcess run = CliProcess.run(work, Map.of(), "serve", "--index", "idx", "--port", "0", "--size", "huge");

        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).contains("--size").contains("huge").contains("SMALL, MEDIUM, LARGE");
        assertThat(run.out()).doesNotContain("serving");
    }

    @Test
    void aBadPortIsAUsageErrorNamingTheOption() throws Exception {
        CliProcess run = CliProcess.run(work, Map.of(), "serve", "--index", "idx", "--port", "70000");

        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).startsWith("parallelrag serve: --port = \"70000\": must be between 0 and 65535");
    }

    @Test
    void theManagementPortCannotBeTheApiPort() throws Exception {
        CliProcess run = CliProcess.run(work, Map.of(), "serve", "--index", "idx", "--port", "9123", "--management-port", "9123");

        assertThat(run.exitCode()).isEqualTo(CliErrors.USAGE);
        assertThat(run.err()).contains("--management-port").contains("is the API port");
    }

    /** The port serve listens on, once it says so in {@code outFile}; also used by {@code PgVectorCliTest}. */
    static int awaitPort(Process serve, Path outFile, Path errFile) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && serve.isAlive()) {
            Matcher m = SERVING.matcher(Files.readString(outFile));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve printed no port: " + Files.readString(outFile) + Files.readString(errFile));
    }

    private static HttpResponse<String> awaitReady(int port) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        HttpResponse<String> r = get(port, "/health/ready");
        while (r.statusCode() != 200 && Instant.now().isBefore(deadline)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            Thread.sleep(100);
            r = get(port, "/health/ready");
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return get(port, path, null);
    }

    private static HttpResponse<String> get(int port, String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
