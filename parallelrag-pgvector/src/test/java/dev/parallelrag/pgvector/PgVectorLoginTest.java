package dev.parallelrag.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.error.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PgVectorConfig.user} and {@code password} reach the server: scripts/pg-cluster.sh makes one role,
 * {@value #ROLE}, log in with its password (its name), while every other role is trusted on loopback.
 */
class PgVectorLoginTest {

    private static final String ROLE = "parallelrag_password";

    private String table;

    @AfterEach
    void drop() {
        if (table != null) {
            TestDatabase.drop(table);
        }
    }

    /** The test URL without its {@code ?user=...}. */
    private static String bareUrl() {
        String url = TestDatabase.url();
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Test
    void theUserAndPasswordLogIn() {
        table = TestDatabase.freshTable("login");
        try (PgVectorStore store = PgVectorStore.open(PgVectorConfig.builder(bareUrl()).table(table).user(ROLE)
                .password(ROLE).build())) {
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithoutRetryingOrShowingIt() {
        PgVectorConfig config = PgVectorConfig.builder(bareUrl()).table("login_refused").user(ROLE)
                .password("not-the-password-7").build();

        assertThat(config.toString()).doesNotContain("not-the-password-7");
        assertThatThrownBy(() -> PgVectorStore.open(config)).isInstanceOf(StoreException.class)
                .hasMessageContaining("password authentication failed").hasMessageContaining("check the user and password")
                .hasMessageNotContaining("not-the-password-7")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("attempt(s)"));
    }
}
