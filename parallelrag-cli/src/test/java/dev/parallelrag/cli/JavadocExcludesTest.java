package dev.parallelrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Javadoc leaves out exactly the types marked {@code @Internal}: the parent POM's {@code sourceFileExcludes}
 * for maven-javadoc-plugin lists each annotated source file, and nothing else.
 */
class JavadocExcludesTest {

    /** {@code @Internal} on a line of its own before a top-level type (no indentation). */
    private static final Pattern INTERNAL_TYPE = Pattern.compile("(?m)^@Internal\\s*$");

    @Test
    void javadocExcludesAreTheInternalTypes() throws IOException {
        assertThat(excludes()).as("sourceFileExcludes of maven-javadoc-plugin in pom.xml against the @Internal types")
                .containsExactlyInAnyOrderElementsOf(internalTypes());
    }

    private static List<String> excludes() {
        Element pom = ProjectFiles.pom("pom.xml");
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("maven-javadoc-plugin".equals(ProjectFiles.text(plugin, "artifactId"))) {
                NodeList entries = plugin.getElementsByTagName("sourceFileExclude");
                List<String> out = new ArrayList<>();
                for (int j = 0; j < entries.getLength(); j++) {
                    out.add(entries.item(j).getTextContent().strip());
                }
                return out;
            }
        }
        throw new AssertionError("no maven-javadoc-plugin in pom.xml");
    }

    /** Source paths relative to their source root, e.g. {@code dev/parallelrag/pipeline/ChunkIds.java}. */
    private static List<String> internalTypes() throws IOException {
        List<String> out = new ArrayList<>();
        for (String module : ReadmeTest.moduleNames()) {
            Path sources = ProjectFiles.ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(sources)) {
                walk.filter(f -> f.toString().endsWith(".java")).filter(JavadocExcludesTest::marked)
                        .forEach(f -> out.add(sources.relativize(f).toString().replace('\\', '/')));
            }
        }
        return out;
    }

    private static boolean marked(Path source) {
        try {
            return INTERNAL_TYPE.matcher(Files.readString(source)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
