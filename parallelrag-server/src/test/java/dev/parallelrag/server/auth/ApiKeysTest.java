package dev.parallelrag.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    private static final String A = "aaaaaaaaaaaaaaaa-first";
    private static final String B = "bbbbbbbbbbbbbbbb-second";

    @Test
    void eachLineIsAKeyWithOptionalLimitsAndName() {
        ApiKeys keys = ApiKeys.parse("# the team's keys\n\n" + A + "\n  " + B + "   rpm=60 concurrency=4 name=batch\n",
                "keys.txt");

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.clients()).containsExactly(new ClientKey("key-1", 0, 0), new ClientKey("batch", 60, 4));
        assertThat(keys.match(A)).contains(new ClientKey("key-1", 0, 0));
        assertThat(keys.match(B)).contains(new ClientKey("batch", 60, 4));
        assertThat(keys.match(A + "x")).isEmpty();
        assertThat(keys.match(A.substring(1))).isEmpty();
        assertThat(keys.match("")).isEmpty();
        assertThat(keys.match(null)).isEmpty();
    }

    @Test
    void theEnvironmentTakesCommasOrNewlinesAndNamesItsKeysApart() {
        ApiKeys env = ApiKeys.fromEnvironment(A + " rpm=5," + B);

        assertThat(env.clients()).containsExactly(new ClientKey("env-1", 5, 0), new ClientKey("env-2", 0, 0));
        ApiKeys both = ApiKeys.parse("cccccccccccccccc-third", "keys.txt").and(env);
        assertThat(both.clients()).extracting(ClientKey::name).containsExactly("key-1", "env-1", "env-2");
        assertThat(ApiKeys.fromEnvironment(" , \n").isEmpty()).isTrue();
    }

    @Test
    void badEntriesNameTheSourceAndTheLineButNeverTheKey() {
        assertBad(ApiKeys::parse, "short", "line 1", "at least 16");
        assertBad(ApiKeys::parse, "non-ascii-é-0123456789", "line 1", "printable ASCII");
        assertBad(ApiKeys::parse, "\n" + A + " rpm=abc", "line 2", "not a whole number");
        assertBad(ApiKeys::parse, A + " rpm=0", "line 1", "at least 1");
        assertBad(ApiKeys::parse, A + " burst=3", "line 1", "unknown setting 'burst'");
        assertBad(ApiKeys::parse, A + " concurrency=100001", "line 1", "concurrency");
        assertBad(ApiKeys::parse, A + " name=a/b", "line 1", "name");
        assertBad(ApiKeys::parse, A + "\n" + B + "\n" + A, "line 3", "repeats the key of line 1");
        assertBad(ApiKeys::parse, A + " name=x\n" + B + " name=x", "line 2", "repeats the name x");
        ApiKeys file = ApiKeys.parse(A, "keys.txt");
        assertThatThrownBy(() -> file.and(ApiKeys.fromEnvironment(A))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("given twice").hasMessageNotContaining(A);
    }

    @Test
    void aFileIsReadAndAMissingOneNamesItsPath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), A + " rpm=2\n");

        assertThat(ApiKeys.read(file).clients()).containsExactly(new ClientKey("key-1", 2, 0));
        assertThatThrownBy(() -> ApiKeys.read(dir.resolve("nope"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nope").hasMessageContaining("cannot be read");
    }

    @Test
    void toStringCountsTheKeysAndShowsNone() {
        ApiKeys keys = ApiKeys.parse(A + "\n" + B, "keys");

        assertThat(keys.toString()).isEqualTo("ApiKeys[2 keys]");
        assertThat(ApiKeys.none().toString()).isEqualTo("ApiKeys[0 keys]");
        assertThat(ApiKeys.none().isEmpty()).isTrue();
    }

    private interface Parser {
        ApiKeys parse(String text, String source);
    }

    private static void assertBad(Parser parser, String text, String where, String rule) {
        assertThatThrownBy(() -> parser.parse(text, "keys.txt")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("keys.txt"))
                .hasMessageContaining(where).hasMessageContaining(rule)
                .hasMessageNotContaining(A).hasMessageNotContaining(B).hasMessageNotContaining("short");
    }
}
