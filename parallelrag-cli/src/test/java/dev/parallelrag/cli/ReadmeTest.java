package dev.parallelrag.cli;

import static dev.parallelrag.cli.ProjectFiles.children;
import static dev.parallelrag.cli.ProjectFiles.codeBlocks;
import static dev.parallelrag.cli.ProjectFiles.dependencies;
import static dev.parallelrag.cli.ProjectFiles.pom;
import static dev.parallelrag.cli.ProjectFiles.read;
import static dev.parallelrag.cli.ProjectFiles.section;
import static dev.parallelrag.cli.ProjectFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The README says what the build is: its module table and its Java quickstart cannot drift from the sources. */
class ReadmeTest {

    private static final String README = read("README.md");
    private static final Pattern TABLE_MODULE = Pattern.compile("(?m)^\\| `([^`]+)` \\|");

    @Test
    void moduleTableNamesExactlyTheModulesOfTheParentPom() {
        List<String> modules = moduleNames();
        assertThat(modules).isNotEmpty();
        List<String> table = TABLE_MODULE.matcher(section(README, "## Modules")).results().map(m -> m.group(1)).toList();

        assertThat(table).as("the README's module table (## Modules) against <modules> of pom.xml")
                .containsExactlyInAnyOrderElementsOf(modules);
    }

    @Test
    void javaQuickstartIsTheExampleProgram() {
        List<String> java = codeBlocks(section(README, "## Use it from Java"), "java");

        assertThat(java).as("java blocks in 'Use it from Java'").hasSize(1);
        assertThat(java.getFirst()).as("the README's program against examples/java's source")
                .isEqualTo(read("examples/java/src/main/java/com/example/Quickstart.java"));
    }

    @Test
    void coordinatesAreTheBuildsVersionAndTheExampleProjectsDependencies() {
        List<String> xml = codeBlocks(section(README, "## Use it from Java"), "xml");
        assertThat(xml).hasSize(1);
        Element snippet = ProjectFiles.xml("<snippet>" + xml.getFirst() + "</snippet>");
        String version = text(pom("pom.xml"), "parent", "version"); // the BOM's version, which every module shares
        Element example = pom("examples/java/pom.xml");
        assertThat(text(example, "properties", "parallelrag.version")).isEqualTo(version);

        assertThat(dependencies(snippet, "dependencyManagement", "dependencies")).extracting(ReadmeTest::coordinates)
                .containsExactly("dev.parallelrag:parallelrag-bom:pom:import:" + version);
        List<String> used = dependencies(snippet, "dependencies").stream().map(ReadmeTest::coordinates).toList();
        assertThat(used).isNotEmpty();
        assertThat(dependencies(example, "dependencies")).extracting(ReadmeTest::coordinates)
                .as("the example's dependencies hold the README's, with the same scopes").containsAll(used);
    }

    /** groupId:artifactId:type:scope[:version], the version only when the element gives one. */
    private static String coordinates(Element dependency) {
        String version = text(dependency, "version");
        String v = version == null ? "" : ":" + version.replace("${parallelrag.version}", text(pom("examples/java/pom.xml"),
                "properties", "parallelrag.version"));
        return text(dependency, "groupId") + ":" + text(dependency, "artifactId") + ":"
                + Objects.requireNonNullElse(text(dependency, "type"), "jar") + ":"
                + Objects.requireNonNullElse(text(dependency, "scope"), "compile") + v;
    }

    static List<String> moduleNames() {
        Element modules = children(pom("pom.xml"), "modules").getFirst();
        return children(modules, "module").stream().map(m -> m.getTextContent().strip()).toList();
    }
}
