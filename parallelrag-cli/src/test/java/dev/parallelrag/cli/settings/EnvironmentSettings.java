package dev.parallelrag.cli.settings;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables and system properties the product reads: each provider's key and base-URL
 * variables (from {@code ProviderKind}), every {@code System.getenv("NAME")} and
 * {@code System.getProperty("parallelrag....")} in the main sources, and the {@code PARALLELRAG_*} variables of
 * the {@code parallelrag} launcher script. System properties are named {@code -Dname}.
 */
final class EnvironmentSettings {

    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    private static final Pattern PROPERTY = Pattern.compile("getProperty\\(\"(parallelrag\\.[A-Za-z0-9._-]+)\"");
    private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\$\\{?(PARALLELRAG_[A-Z0-9_]+)");

    private EnvironmentSettings() {
    }

    static Set<String> variables(List<Class<?>> publicApi) {
        Set<String> names = new TreeSet<>(providerVariables(publicApi));
        for (Path source : Repository.javaSources("main")) {
            if (source.toString().contains("parallelrag-bench")) {
                continue; // benchmark harnesses are not the product
            }
            String text = Repository.read(source);
            addAll(GETENV.matcher(text), "", names);
            addAll(PROPERTY.matcher(text), "-D", names);
        }
        addAll(LAUNCHER_VARIABLE.matcher(Repository.read(Repository.root().resolve("parallelrag"))), "", names);
        return names;
    }

    private static void addAll(Matcher m, String prefix, Set<String> names) {
        while (m.find()) {
            names.add(prefix + m.group(1));
        }
    }

    /** {@code apiKeyEnv()} and {@code baseUrlEnv()} of every {@code ProviderKind} constant. */
    private static Set<String> providerVariables(List<Class<?>> publicApi) {
        Class<?> kind = publicApi.stream().filter(c -> c.getSimpleName().equals("ProviderKind") && c.isEnum())
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "no public enum ProviderKind on the class path; say in EnvironmentSettings where the"
                                + " provider environment variables are defined now"));
        Set<String> names = new TreeSet<>();
        try {
            Method apiKeyEnv = kind.getMethod("apiKeyEnv");
            Method baseUrlEnv = kind.getMethod("baseUrlEnv");
            for (Object constant : kind.getEnumConstants()) {
                for (Method m : List.of(apiKeyEnv, baseUrlEnv)) {
                    Object name = m.invoke(constant);
                    if (name != null) {
                        names.add((String) name);
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ProviderKind no longer has apiKeyEnv()/baseUrlEnv(): " + e, e);
        }
        return names;
    }
}
