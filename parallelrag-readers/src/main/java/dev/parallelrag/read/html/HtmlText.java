package dev.parallelrag.read.html;

import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns an HTML element tree into plain text that keeps paragraph structure: whitespace inside text
 * is collapsed as a browser would, {@code <br>} and block elements end a line, and paragraph-like
 * blocks are separated by a blank line. {@code <pre>} keeps its whitespace.
 */
final class HtmlText {

    private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "template", "head", "svg", "iframe", "object");
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
            "table", "ul", "ol", "dl", "section", "article", "header", "footer", "figure", "hr");
    private static final Set<String> LINES = Set.of("div", "li", "tr", "dt", "dd", "br", "main", "nav", "aside",
            "caption", "figcaption", "address", "form", "fieldset", "details", "summary");

    private HtmlText() {
    }

    static String extract(Element root) {
        Builder builder = new Builder();
        NodeTraversor.traverse(builder, root);
        return builder.result();
    }

    private static final class Builder implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private int skipDepth;
        private int preDepth;
        private boolean pendingSpace;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (SKIPPED.contains(tag) || skipDepth > 0) {
                    skipDepth++;
                    return;
                }
                if ("pre".equals(tag)) {
                    preDepth++;
                }
                if (PARAGRAPHS.contains(tag)) {
                    breakLines(2);
                } else if (LINES.contains(tag)) {
                    breakLines(1);
                } else if ("td".equals(tag) || "th".equals(tag)) {
                    pendingSpace = out.length() > 0 && !endsWithNewline();
                }
            } else if (node instanceof TextNode t && skipDepth == 0) {
                appendText(preDepth > 0 ? t.getWholeText() : t.text(), preDepth > 0);
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (skipDepth > 0) {
                    skipDepth--;
                    return;
                }
                if ("pre".equals(tag)) {
                    preDepth--;
                }
                if (PARAGRAPHS.contains(tag)) {
                    breakLines(2);
                } else if (LINES.contains(tag) && !"br".equals(tag)) {
                    breakLines(1);
                }
            }
        }

        private void appendText(String text, boolean preserve) {
            if (text.isEmpty()) {
                return;
            }
            if (!preserve) {
                boolean leading = Character.isWhitespace(text.charAt(0));
                boolean trailing = Character.isWhitespace(text.charAt(text.length() - 1));
                text = text.strip();
                if (text.isEmpty()) {
                    pendingSpace |= out.length() > 0 && !endsWithNewline();
                    return;
                }
                if ((leading || pendingSpace) && out.length() > 0 && !endsWithNewline()) {
                    out.append(' ');
                }
                out.append(text);
                pendingSpace = trailing;
                return;
            }
            if (pendingSpace && out.length() > 0 && !endsWithNewline()) {
                out.append(' ');
            }
            out.append(text);
            pendingSpace = false;
        }

        private void breakLines(int count) {
            pendingSpace = false;
            if (out.isEmpty()) {
                return;
            }
            int have = 0;
            for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n' && have < count; i--) {
                have++;
            }
            out.append("\n".repeat(count - have));
        }

        private boolean endsWithNewline() {
            return out.length() > 0 && out.charAt(out.length() - 1) == '\n';
        }

        String result() {
            return out.toString().strip();
        }
    }
}
