package dev.parallelrag.cli.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is complete and true: every public setting (library builder method, CLI option,
 * environment variable) has a row, every row names a setting that exists, a default, a reason, and tests
 * that exist. Lives in the CLI module because every other module is on its test class path.
 */
class ConfigurationDocTest {

    /**
     * Settings documented without a proving test yet, each with the branch that owns the fix. A row in the doc
     * says "none yet" for exactly these; naming a test there means removing the entry here.
     */
    static final Map<String, String> PENDING = Map.of();

    private static List<Class<?>> api;
    private static LibrarySettings library;
    private static ConfigurationDoc doc;
    private static TestSources tests;

    @BeforeAll
    static void load() {
        api = ProjectClasses.publicApi();
        library = LibrarySettings.resolve(api);
        doc = ConfigurationDoc.read();
        tests = TestSources.load();
    }

    @Test
    void everySettingsLookingTypeIsListed() {
        assertThat(LibrarySettings.unknownTypes(api))
                .as("public types that look like settings (*Config, *Options, *Policy, or with a nested Builder) but are"
                        + " in neither LibrarySettings.SETTINGS_TYPES nor NOT_SETTINGS: list them, and document their"
                        + " settings in " + ConfigurationDoc.PATH)
                .isEmpty();
        assertThat(library.missingTypes())
                .as("types in LibrarySettings.SETTINGS_TYPES that are no longer public classes on the class path")
                .isEmpty();
    }

    @Test
    void everyLibrarySettingHasARow() {
        assertThat(undocumented(library.settings())).as("library settings without a row in " + ConfigurationDoc.PATH)
                .isEmpty();
    }

    @Test
    void everyCliOptionHasARow() {
        assertThat(undocumented(CliSettings.options())).as("CLI options without a row in " + ConfigurationDoc.PATH)
                .isEmpty();
    }

    @Test
    void everyEnvironmentVariableHasARow() {
        assertThat(undocumented(EnvironmentSettings.variables(api)))
                .as("environment variables and system properties without a row in " + ConfigurationDoc.PATH)
                .isEmpty();
    }

    @Test
    void everyRowNamesASettingThatExists() {
        Set<String> known = new HashSet<>(library.settings());
        known.addAll(library.requiredArguments());
        known.addAll(CliSettings.options());
        known.addAll(EnvironmentSettings.variables(api));
        List<String> stale = doc.rows().stream().filter(r -> !known.contains(r.name()))
                .map(r -> "line " + r.line() + ": " + r.name()).toList();
        assertThat(stale).as("rows of " + ConfigurationDoc.PATH + " naming no setting that exists (renamed or removed?)")
                .isEmpty();
    }

    @Test
    void everyRowIsComplete() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigurationDoc.Row row : doc.rows()) {
            String where = "line " + row.line() + " (" + row.name() + ")";
            if (!seen.add(row.name())) {
                problems.add(where + ": a second row for the same setting");
            }
            if (row.defaultValue().isEmpty()) {
                problems.add(where + ": no default");
            }
            if (row.reason().isEmpty()) {
                problems.add(where + ": no reason for the default");
            }
            if (row.tests().isEmpty() && !row.pending()) {
                problems.add(where + ": names no test as `ClassName#method` (or \"none yet\" for a listed gap)");
            }
            for (ConfigurationDoc.TestRef ref : row.tests()) {
                if (!tests.hasClass(ref.className())) {
                    problems.add(where + ": no test class " + ref.className() + " in any src/test/java");
                } else if (!tests.hasTest(ref.className(), ref.method())) {
                    problems.add(where + ": " + ref.className() + " has no test method " + ref.method());
                }
            }
        }
        assertThat(problems).as("incomplete rows of " + ConfigurationDoc.PATH).isEmpty();
    }

    @Test
    void settingsWithoutATestAreExactlyTheListedGaps() {
        Set<String> pendingRows = doc.rows().stream().filter(r -> r.tests().isEmpty() && r.pending())
                .map(ConfigurationDoc.Row::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(pendingRows).as("rows saying \"none yet\" must be the entries of ConfigurationDocTest.PENDING;"
                + " when a row names its test, remove its entry").isEqualTo(new TreeSet<>(PENDING.keySet()));
    }

    @Test
    void testSourcesTellTestsFromOtherMethods() {
        assertThat(tests.hasTest("ConfigurationDocTest", "everyRowIsComplete")).isTrue();
        assertThat(tests.hasTest("ConfigurationDocTest", "undocumented")).as("a helper, not a test").isFalse();
        assertThat(tests.hasTest("ConfigurationDocTest", "noSuchMethod")).isFalse();
        assertThat(tests.hasClass("NoSuchTestClass")).isFalse();
    }

    private static Set<String> undocumented(Set<String> settings) {
        Set<String> documented = doc.rows().stream().map(ConfigurationDoc.Row::name).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(settings);
        missing.removeAll(documented);
        return missing;
    }
}
