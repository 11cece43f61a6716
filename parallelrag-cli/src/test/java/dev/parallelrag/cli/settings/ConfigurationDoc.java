package dev.parallelrag.cli.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The setting rows of {@code docs/configuration.md}: table rows whose first cell is a backticked setting
 * name, then default, reason, and the proving tests as {@code `ClassName#method`} (one or more), or
 * "none yet" for a gap that the test keeps on a visible list.
 */
record ConfigurationDoc(List<Row> rows) {

    static final Path PATH = Path.of("docs", "configuration.md");

    private static final Pattern NAME = Pattern.compile("^`([^`]+)`$");
    private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9_]*)#([a-z][A-Za-z0-9_]*)`");

    /** One row: the setting, its default and reason as written, and the tests it names. */
    record Row(int line, String name, String defaultValue, String reason, List<TestRef> tests, boolean pending) {
    }

    /** {@code ClassName#method}. */
    record TestRef(String className, String method) {
        @Override
        public String toString() {
            return className + "#" + method;
        }
    }

    static ConfigurationDoc read() {
        return parse(Repository.read(Repository.root().resolve(PATH)));
    }

    static ConfigurationDoc parse(String markdown) {
        List<Row> rows = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("|") || !line.endsWith("|")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            if (cells.length < 4) {
                continue;
            }
            Matcher name = NAME.matcher(cells[0].strip());
            if (!name.matches()) {
                continue; // a header, a separator, or a table that is not about settings
            }
            String testCell = cells[cells.length - 1].strip();
            List<TestRef> tests = new ArrayList<>();
            Matcher t = TEST.matcher(testCell);
            while (t.find()) {
                tests.add(new TestRef(t.group(1), t.group(2)));
            }
            rows.add(new Row(i + 1, name.group(1), cells[1].strip(), cells[2].strip(), List.copyOf(tests),
                    testCell.toLowerCase(java.util.Locale.ROOT).contains("none yet")));
        }
        return new ConfigurationDoc(List.copyOf(rows));
    }
}
