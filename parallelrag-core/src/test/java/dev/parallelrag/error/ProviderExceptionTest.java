package dev.parallelrag.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The error kind a provider's HTTP status gives, as stats, JSON output and health see it. */
class ProviderExceptionTest {

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({
            "400, VALIDATION", "413, VALIDATION", "422, VALIDATION",
            "408, TIMEOUT",
            "404, OTHER", "409, OTHER",
            "500, SERVER", "503, SERVER", "529, SERVER",
            // no status at all: the connection failed before an answer
            "0, SERVER"})
    void theStatusDecidesTheKind(int status, ErrorKind kind) {
        assertThat(new ProviderException("x", status, null, status >= 500).kind()).isEqualTo(kind);
    }
}
