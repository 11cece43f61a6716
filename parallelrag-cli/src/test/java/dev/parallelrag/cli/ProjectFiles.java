package dev.parallelrag.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The repository's own files as tests of its documentation read them: the README's sections, the POMs. */
final class ProjectFiles {

    static final Path ROOT = Path.of("..");

    private ProjectFiles() {
    }

    static String read(String relativePath) {
        try {
            return Files.readString(ROOT.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the Markdown section that starts with the heading line {@code heading}, up to the next heading. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new AssertionError("no section '" + heading + "'");
        }
        int next = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start + 1, next < 0 ? markdown.length() : next + 1);
    }

    /** The fenced code blocks of {@code markdown} in the given language, in order, without their fences. */
    static List<String> codeBlocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        String open = "```" + language + "\n";
        int at = markdown.indexOf(open);
        while (at >= 0) {
            int body = at + open.length();
            int close = markdown.indexOf("\n```", body - 1); // the newline before the closing fence
            blocks.add(markdown.substring(body, close + 1));
            at = markdown.indexOf(open, close + 4);
        }
        return blocks;
    }

    static Element pom(String relativePath) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(relativePath).toFile());
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("cannot parse " + relativePath, e);
        }
    }

    /** The element children of {@code parent} with the given name. */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text of the element reached by the path of child names, or null when there is none. */
    static String text(Element parent, String... path) {
        Node node = parent;
        for (String name : path) {
            List<Element> next = children((Element) node, name);
            if (next.isEmpty()) {
                return null;
            }
            node = next.getFirst();
        }
        return node.getTextContent().strip();
    }

    /** The {@code <dependency>} elements under the path, e.g. {@code dependencyManagement, dependencies}. */
    static List<Element> dependencies(Element pom, String... path) {
        Element node = pom;
        for (String name : path) {
            List<Element> next = children(node, name);
            if (next.isEmpty()) {
                return List.of();
            }
            node = next.getFirst();
        }
        return children(node, "dependency");
    }
}
