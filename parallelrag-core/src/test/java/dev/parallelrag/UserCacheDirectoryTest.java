package dev.parallelrag;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserCacheDirectoryTest {

    @Test
    void theCacheDirectoryFollowsTheEnvironmentThenThePlatform() {
        String home = Path.of("/home/u").toAbsolutePath().toString();
        assertThat(UserCacheDirectory.resolve(Map.of(UserCacheDirectory.ENV, "/data/cache", "XDG_CACHE_HOME", "/x"), "Linux", home))
                .isEqualTo(Path.of("/data/cache").toAbsolutePath());
        assertThat(UserCacheDirectory.resolve(Map.of(UserCacheDirectory.ENV, " ", "XDG_CACHE_HOME", "/x"), "Linux", home))
                .isEqualTo(Path.of("/x", "parallelrag").toAbsolutePath());
        assertThat(UserCacheDirectory.resolve(Map.of("XDG_CACHE_HOME", "/x"), "Linux", home))
                .isEqualTo(Path.of("/x", "parallelrag").toAbsolutePath());
        assertThat(UserCacheDirectory.resolve(Map.of(), "Linux", home)).isEqualTo(Path.of(home, ".cache", "parallelrag"));
        assertThat(UserCacheDirectory.resolve(Map.of(), "Mac OS X", home)).isEqualTo(Path.of(home, "Library", "Caches", "parallelrag"));
        assertThat(UserCacheDirectory.resolve(Map.of("LOCALAPPDATA", "/appdata"), "Windows 11", home))
                .isEqualTo(Path.of("/appdata", "parallelrag").toAbsolutePath());
    }

    @Test
    void theBuildMovesItOutOfTheRealUserCacheAndThisProcessFollows() {
        // pom.xml sets it for every module's tests, so no test writes the cache of whoever runs the build
        String own = System.getenv(UserCacheDirectory.ENV);
        assertThat(own).as(UserCacheDirectory.ENV + " in the tests' environment").isNotBlank();
        assertThat(Path.of(own).toAbsolutePath().normalize().toString()).contains("target");
        assertThat(UserCacheDirectory.resolve()).isEqualTo(Path.of(own).toAbsolutePath());
    }
}
