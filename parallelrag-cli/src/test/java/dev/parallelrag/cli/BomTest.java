package dev.parallelrag.cli;

import static dev.parallelrag.cli.ProjectFiles.dependencies;
import static dev.parallelrag.cli.ProjectFiles.pom;
import static dev.parallelrag.cli.ProjectFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The BOM a consumer imports names every artifact the build publishes, at the build's version. */
class BomTest {

    private static final String GROUP = "dev.parallelrag";

    @Test
    void bomManagesEveryPublishedModuleAndNothingElseOfOurs() {
        List<String> published = ReadmeTest.moduleNames().stream()
                .filter(m -> !m.equals("parallelrag-bom"))
                .filter(m -> !"true".equals(text(pom(m + "/pom.xml"), "properties", "maven.deploy.skip")))
                .toList();
        List<Element> ours = dependencies(pom("parallelrag-bom/pom.xml"), "dependencyManagement", "dependencies").stream()
                .filter(d -> GROUP.equals(text(d, "groupId"))).toList();

        assertThat(ours).extracting(d -> text(d, "artifactId"))
                .as("dev.parallelrag artifacts in the BOM against the modules that are published (no maven.deploy.skip)")
                .containsExactlyInAnyOrderElementsOf(published);
        assertThat(ours).extracting(d -> text(d, "version")).containsOnly("${project.version}");
        assertThat(ours).extracting(d -> text(d, "type")).containsOnlyNulls(); // jars: no test-jars for consumers
    }

    @Test
    void everyModuleSharesTheBomsVersion() {
        String version = text(pom("parallelrag-bom/pom.xml"), "version");
        assertThat(text(pom("pom.xml"), "parent", "version")).isEqualTo(version);
        for (String module : ReadmeTest.moduleNames()) {
            Element pom = pom(module + "/pom.xml");
            String own = text(pom, "version");
            assertThat(own != null ? own : text(pom, "parent", "version")).as(module).isEqualTo(version);
        }
    }
}
