package dev.parallelrag.cli.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test sources of the repository, to check that a named {@code ClassName#method} is a test that exists:
 * a file {@code ClassName.java} under some module's {@code src/test/java} declaring {@code method} with a
 * JUnit or jqwik test annotation. Read from the sources because the other modules' test classes are not on
 * this module's class path.
 */
final class TestSources {

    private static final Pattern TEST_ANNOTATION =
            Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example)\\b");

    private final Map<String, List<String>> sourcesByClass = new HashMap<>();

    private TestSources() {
    }

    static TestSources load() {
        TestSources index = new TestSources();
        for (Path file : Repository.javaSources("test")) {
            String name = file.getFileName().toString().replace(".java", "");
            index.sourcesByClass.computeIfAbsent(name, k -> new ArrayList<>()).add(Repository.read(file));
        }
        return index;
    }

    boolean hasClass(String className) {
        return sourcesByClass.containsKey(className);
    }

    /** True when some {@code className.java} declares {@code method} annotated as a test. */
    boolean hasTest(String className, String method) {
        Pattern declaration = Pattern.compile("^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|static|final)\\s+)*"
                + "[\\w<>\\[\\], ?]+\\s+" + Pattern.quote(method) + "\\s*\\(");
        for (String source : sourcesByClass.getOrDefault(className, List.of())) {
            String[] lines = source.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (declaration.matcher(lines[i]).find()
                        && (TEST_ANNOTATION.matcher(lines[i]).find() || annotatedAsTest(lines, i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The lines right above a declaration are its annotations (and Javadoc); they end at a blank line or
     * at the end of the previous member. A test annotation among them makes it a test.
     */
    private static boolean annotatedAsTest(String[] lines, int declaration) {
        for (int i = declaration - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("@")) {
                if (TEST_ANNOTATION.matcher(line).lookingAt()) {
                    return true;
                }
                continue;
            }
            if (line.isEmpty() || line.equals("}") || line.endsWith(";") || line.endsWith("{")) {
                return false;
            }
        }
        return false;
    }
}
