package dev.parallelrag;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The per-user cache directory of ParallelRAG, the one root under which every module keeps what it derives
 * and can rebuild: the local models' fused graphs ({@code onnx-models/}), the engine's embedding cache
 * ({@code embeddings/}) and the {@code parallelrag} launcher's class-data archives ({@code jvm/}). It is the
 * environment variable {@value #ENV} if set, else the platform's user cache directory ({@code $XDG_CACHE_HOME}
 * or {@code ~/.cache} on Linux, {@code ~/Library/Caches} on macOS, {@code %LOCALAPPDATA%} on Windows) with
 * {@code parallelrag} below it. Per user, because what it holds is derived from files or calls the user made
 * and is rebuilt when missing: nothing in it needs sharing, and nothing of one user's should be trusted by another.
 */
public final class UserCacheDirectory {

    /** Environment variable that moves the whole per-user cache, for example onto a faster or larger disk. */
    public static final String ENV = "PARALLELRAG_CACHE_DIR";

    private UserCacheDirectory() {
    }

    /** The directory for this process: read from the environment and the platform each call, never created here. */
    public static Path resolve() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home", "."));
    }

    static Path resolve(Map<String, String> env, String osName, String userHome) {
        String own = env.get(ENV);
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        Path base;
        if (os.startsWith("windows") && present(env.get("LOCALAPPDATA"))) {
            base = Path.of(env.get("LOCALAPPDATA"));
        } else if (os.startsWith("mac")) {
            base = Path.of(userHome, "Library", "Caches");
        } else if (present(env.get("XDG_CACHE_HOME"))) {
            base = Path.of(env.get("XDG_CACHE_HOME"));
        } else {
            base = Path.of(userHome, ".cache");
        }
        return base.resolve("parallelrag").toAbsolutePath();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
