package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, must show 3: under {@code LANG=C}, a folder holding {@code ünï_日本.txt}, {@code x\xff.txt} and
 * {@code x\xfe.txt} ingests all three as three documents, and the summary matches the index. The folder also
 * holds two files that cannot be opened (a dangling symbolic link with a name that is not UTF-8, and a FIFO;
 * tests run as root, where {@code chmod 000} does not stop a read): each is one failure, the rest is ingested.
 *
 * <p>Every command runs in bash (which spells the names as {@code $'x\xff.txt'}: a JVM cannot pass such bytes
 * as arguments) with {@code LANG=C LC_ALL=C} and no other {@code LC_*}: once through the launcher, which gives
 * the JVM a UTF-8 locale, once with {@code java} directly, whose file-name encoding is then US-ASCII. Both
 * give the same document and chunk ids: the ids come from the names' bytes, not from the locale.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one folder, and one ingest through the launcher, for every test
class FileNamesCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNI = "$'\\xc3\\xbcn\\xc3\\xaf_\\xe6\\x97\\xa5\\xe6\\x9c\\xac.txt'";
    /** A word only each file holds, and the document id it must be found under. */
    private static final Map<String, String> WORD_TO_ID = Map.of(
            "aardvark", "docs/ünï_日本.txt", "zeppelin", "docs/x\\xff.txt", "quokka", "docs/x\\xfe.txt");

    @TempDir
    static Path dir;

    private Path launcher;
    private CliProcess ingest;

    @BeforeAll
    void ingestThroughTheLauncher() throws Exception {
        launcher = LauncherCopy.create(dir);
        CliProcess made = inCLocale("mkdir docs && cd docs && printf 'the aardvark digs\\n' > " + UNI
                + " && printf 'a zeppelin floats\\n' > $'x\\xff.txt' && printf 'one quokka smiles\\n' > $'x\\xfe.txt'"
                + " && ln -s missing-target $'gone\\xfd.txt' && mkfifo pipe.txt");
        assertThat(made.exitCode()).as(made.err()).isZero();
        ingest = inCLocale("\"$PARALLELRAG\" ingest docs --index idx --json --quiet");
    }

    @Test
    void throughTheLauncherEveryNameIsOneDocumentAndTheSummaryMatchesTheIndex() throws Exception {
        assertThat(ingest.exitCode()).as("some files failed: exit 1; %s", ingest.err()).isEqualTo(1);
        JsonNode summary = JSON.readTree(ingest.out());
        assertThat(summary.get("documents_ingested").asInt()).isEqualTo(3);
        assertThat(summary.get("documents_failed").asInt()).isEqualTo(2);
        assertThat(summary.get("failures").findValuesAsText("source")).containsExactly("docs/gone\\xfd.txt", "docs/pipe.txt");
        assertThat(ingest.err()).contains("ingest: docs/gone\\xfd.txt: broken symbolic link")
                .contains("ingest: docs/pipe.txt: not a regular file").doesNotContain("\uFFFD").doesNotContain("Exception");

        JsonNode stats = JSON.readTree(inCLocale("\"$PARALLELRAG\" stats --index idx --json").out());
        assertThat(stats.get("documents").asInt()).isEqualTo(3);
        assertThat(stats.get("chunks").asInt()).isEqualTo(summary.get("chunks_added").asInt());
        assertThat(hits("\"$PARALLELRAG\"", "idx").keySet()).containsExactlyInAnyOrderElementsOf(WORD_TO_ID.values());
    }

    @Test
    void theJarRunDirectlyUnderACLocaleGivesTheSameIds() throws Exception {
        CliProcess direct = inCLocale("\"$JAVA\" -cp \"$CP\" " + ParallelRagCommand.class.getName()
                + " ingest docs --index direct --json --quiet");

        assertThat(direct.exitCode()).as(direct.err()).isEqualTo(1);
        assertThat(JSON.readTree(direct.out()).get("documents_ingested").asInt()).isEqualTo(3);
        assertThat(direct.err()).doesNotContain("InvalidPathException");
        Map<String, String> viaLauncher = hits("\"$PARALLELRAG\"", "idx");
        assertThat(hits("\"$JAVA\" -cp \"$CP\" " + ParallelRagCommand.class.getName(), "direct"))
                .as("document id -> chunk id").isEqualTo(viaLauncher).hasSize(3);
    }

    @Test
    void namedFilesAreTakenAndOneThatNoArgumentCanNameIsExplained() throws Exception {
        CliProcess named = inCLocale("\"$PARALLELRAG\" ingest docs/" + UNI + " $'docs/x\\xff.txt' --index named --json --quiet");

        assertThat(named.exitCode()).as(named.err()).isEqualTo(1);
        JsonNode summary = JSON.readTree(named.out());
        assertThat(summary.get("documents_ingested").asInt()).as("the UTF-8 name given as an argument").isEqualTo(1);
        assertThat(named.err()).contains("its name holds U+FFFD").contains("name the folder that holds the file instead");
    }

    /** The source and chunk id of each hit of one keyword search for the three words; each hit holds its file's word. */
    private Map<String, String> hits(String command, String index) throws Exception {
        CliProcess search = inCLocale(command + " search '" + String.join(" ", WORD_TO_ID.keySet()) + "' --index " + index
                + " --mode keyword --k 10 --json");
        assertThat(search.exitCode()).as(search.err()).isZero();
        Map<String, String> chunkBySource = new LinkedHashMap<>();
        WORD_TO_ID.forEach((word, id) -> {
            JsonNode hit = null;
            for (JsonNode h : readJson(search.out())) {
                hit = h.get("text").asText().contains(word) ? h : hit;
            }
            assertThat(hit).as("a hit for %s", word).isNotNull();
            assertThat(hit.get("source").asText()).as("the source of %s", word).isEqualTo(id);
            chunkBySource.put(id, hit.get("chunk_id").asText());
        });
        return chunkBySource;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /**
     * Runs a bash script in the test directory under {@code LANG=C LC_ALL=C} (every other {@code LC_*} and
     * {@code LANGUAGE} unset), with {@code $PARALLELRAG} (the launcher), {@code $JAVA} and {@code $CP} set.
     */
    private CliProcess inCLocale(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -e; " + script).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANGUAGE") || k.endsWith("_API_KEY"));
        env.put("LANG", "C");
        env.put("LC_ALL", "C");
        env.put("PARALLELRAG", launcher.toString());
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("CP", System.getProperty("java.class.path"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("finished: %s", script).isTrue();
        return new CliProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
