package dev.parallelrag.cli;

import dev.parallelrag.engine.ParallelRag;
import dev.parallelrag.error.ValidationException;
import dev.parallelrag.jobs.IngestJobsConfig;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.runtime.DeploymentSize;
import dev.parallelrag.runtime.StopSignal;
import dev.parallelrag.server.ParallelRagServer;
import dev.parallelrag.server.ServerConfig;
import dev.parallelrag.server.auth.ApiKeys;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parallelrag serve}: the index over HTTP ({@link ParallelRagServer}) until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the index over HTTP until stopped (SIGTERM or SIGINT, e.g. Ctrl-C): health on /health/live"
                + " and /health/ready. Opens the index and its embedding model once; the model loads in the background"
                + " and /health/ready answers 200 once it is loaded.",
                "On a stop it finishes the requests in flight, then closes the server, then the index.",
                "/v1/* needs Authorization: Bearer <key> when keys are given (--api-keys-file, " + ApiKeys.ENV + ")."})
final class ServeCommand extends IndexCommand {

    /** How often the waiting command looks whether a signal stopped it: a stop is noticed within this. */
    static final Duration STOP_POLL = Duration.ofMillis(100);

    @Mixin
    IndexOptions index;

    @Mixin
    StoreOptions store;

    @Mixin
    LlmOptions llm;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "API port (default: ${DEFAULT-VALUE}; 0 for a free one, printed at start).")
    int port;

    @Option(names = "--api-keys-file", paramLabel = "FILE",
            description = {"API keys that /v1/* takes, one per line: KEY [rpm=N] [concurrency=N] [name=LABEL]; keys"
                    + " also come from " + ApiKeys.ENV + " (entries separated by commas or newlines).",
                    "Without keys /v1/* is open, so only a loopback --host is allowed."})
    Path apiKeysFile;

    @Option(names = "--management-port", paramLabel = "N",
            description = "Serve /metrics and /health/* on this port only (default: on the API port).")
    Integer managementPort;

    @Option(names = "--size", paramLabel = "SIZE",
            description = "Deployment size: small, medium or large (CPU threads / I/O permits 4/8, 16/32, 32/64;"
                    + " see docs/server.md). Default: sized from this machine.")
    DeploymentSize size;

    @Option(names = "--max-running-jobs", paramLabel = "N", description = "Ingest jobs (POST /v1/documents) that run at"
            + " once (default: " + IngestJobsConfig.DEFAULT_MAX_RUNNING + ").")
    Integer maxRunningJobs;

    @Option(names = "--max-queued-jobs", paramLabel = "N", description = "Ingest jobs that may wait to run; a submit"
            + " beyond them is 429 with Retry-After (default: " + IngestJobsConfig.DEFAULT_MAX_QUEUED + ").")
    Integer maxQueuedJobs;

    @Option(names = "--max-files-per-job", paramLabel = "N", description = "Files or texts one ingest job takes; more"
            + " is 400 (default: " + IngestJobsConfig.DEFAULT_MAX_FILES + ").")
    Integer maxFilesPerJob;

    @Option(names = "--keep-finished-jobs", paramLabel = "N", description = "Ended ingest jobs remembered for"
            + " GET /v1/jobs/{id}, the oldest forgotten first (default: " + IngestJobsConfig.DEFAULT_KEEP_FINISHED + ").")
    Integer keepFinished;

    @Option(names = "--keep-finished-for", paramLabel = "DURATION", converter = RemoteCallOptions.DurationConverter.class,
            description = "How long an ended ingest job is remembered, e.g. 30m (default: 1h).")
    Duration keepFinishedFor;

    /** The server's setting names, as the options that set them. */
    private static final Map<String, String> OPTIONS = Map.of("host", "--host", "port", "--port",
            "managementPort", "--management-port", "apiKeysFile", "--api-keys-file",
            "maxRunningJobs", "--max-running-jobs", "maxQueuedJobs", "--max-queued-jobs",
            "maxFilesPerJob", "--max-files-per-job", "keepFinished", "--keep-finished-jobs",
            "keepFinishedFor", "--keep-finished-for");

    /** The server's settings from the options; a bad value names its option. */
    ServerConfig config() {
        ServerConfig.Builder config = ServerConfig.builder().host(host).port(port).apiKeys(apiKeys());
        if (managementPort != null) {
            config.managementPort(managementPort);
        }
        try {
            return config.ingestJobs(ingestJobs()).build();
        } catch (ValidationException e) {
            throw new ValidationException(OPTIONS.getOrDefault(e.field(), e.field()), e.value(), e.rule());
        }
    }

    /** The ingest jobs' bounds: the library's defaults, with each option given in their place. */
    private IngestJobsConfig ingestJobs() {
        IngestJobsConfig.Builder jobs = IngestJobsConfig.builder();
        if (maxRunningJobs != null) {
            jobs.maxRunningJobs(maxRunningJobs);
        }
        if (maxQueuedJobs != null) {
            jobs.maxQueuedJobs(maxQueuedJobs);
        }
        if (maxFilesPerJob != null) {
            jobs.maxFilesPerJob(maxFilesPerJob);
        }
        if (keepFinished != null) {
            jobs.keepFinished(keepFinished);
        }
        if (keepFinishedFor != null) {
            jobs.keepFinishedFor(keepFinishedFor);
        }
        return jobs.build();
    }

    /** The keys of the file and of the environment, together; a bad entry names the option and its line. */
    private ApiKeys apiKeys() {
        ApiKeys keys = ApiKeys.none();
        if (apiKeysFile != null) {
            try {
                keys = ApiKeys.read(apiKeysFile);
            } catch (ValidationException e) {
                throw new ValidationException("--api-keys-file", e.value(), e.rule());
            }
        }
        String env = System.getenv("PARALLELRAG_API_KEYS");
        return env == null ? keys : keys.and(ApiKeys.fromEnvironment(env));
    }

    @Override
    int run() throws Exception {
        ServerConfig settings = config();
        StopSignal stop = ShutdownStop.signal(StopSignal.DEFAULT_GRACE);
        PrintWriter out = out();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT); // what GET /metrics serves
        try (LlmClient client = llm.create(Optional.empty(), new FallbackLlmOptions.Fallbacks(List.of()), meters);
             ParallelRag engine = ParallelRag.builder(store.location(index.index)).chatModel(client).meterRegistry(meters).size(size).build();
             ParallelRagServer server = ParallelRagServer.builder(engine, settings).meterRegistry(meters).start()) {
            out.println("serving " + engine.location() + " on http://" + host + ":" + server.port()
                    + (managementPort == null ? "" : " (management on port " + server.managementPort() + ")")
                    + (settings.apiKeys().isEmpty() ? "; /v1/* needs no key (loopback only)"
                    : "; /v1/* needs one of " + settings.apiKeys().size() + " API keys"));
            out.flush();
            while (!stop.isStopped()) {
                Thread.sleep(STOP_POLL);
            }
            out.println("stopping: finishing the requests in flight, then closing the index");
            out.flush();
        } // the server stops first, then the engine, then the LLM client
        out.println("stopped");
        out.flush();
        return 0;
    }
}
