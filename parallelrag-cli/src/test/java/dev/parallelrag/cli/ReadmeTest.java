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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The README says what the build is: its module table and its Java quickstart cannot drift from the sources. */
class ReadmeTest {

    private static final String README = read("README.md");
    private static final Pattern TABLE_MODULE = Pattern.compile("(?m)^\\| `([^`]+)` \\|");
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");

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
        Element parent = pom("pom.xml");
        String version = text(parent, "parent", "version"); // the BOM's version, which every module shares
        assertThat(xml.getFirst()).contains("<version>" + version + "</version>");

        Element example = pom("examples/java/pom.xml");
        assertThat(text(example, "properties", "parallelrag.version")).isEqualTo(version);
        List<String> exampleArtifacts = dependencies(example, "dependencies").stream()
                .map(d -> text(d, "artifactId")).toList();
        List<String> readmeArtifacts = ARTIFACT_ID.matcher(xml.getFirst()).results().map(m -> m.group(1))
                .filter(a -> !a.equals("parallelrag-bom")).toList();
        assertThat(readmeArtifacts).isNotEmpty();
        assertThat(exampleArtifacts).containsAll(readmeArtifacts);
        assertThat(dependencies(example, "dependencyManagement", "dependencies")).extracting(d -> text(d, "artifactId"))
                .contains("parallelrag-bom");
    }

    static List<String> moduleNames() {
        Element modules = children(pom("pom.xml"), "modules").getFirst();
        return children(modules, "module").stream().map(m -> m.getTextContent().strip()).toList();
    }
}
