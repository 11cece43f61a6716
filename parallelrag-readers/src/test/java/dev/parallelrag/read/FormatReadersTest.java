package dev.parallelrag.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallelrag.model.Document;
import dev.parallelrag.read.DocumentReadException.Problem;
import dev.parallelrag.read.html.HtmlReader;
import dev.parallelrag.read.pdf.PdfReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatReadersTest {

    @TempDir
    Path dir;

    @Test
    void serviceLoaderRegistersHtmlAndPdf() {
        ReaderRegistry registry = ReaderRegistry.defaults();
        assertThat(registry.forPath(Path.of("a.HTML")).orElseThrow()).isInstanceOf(HtmlReader.class);
        assertThat(registry.forPath(Path.of("a.htm")).orElseThrow()).isInstanceOf(HtmlReader.class);
        assertThat(registry.forPath(Path.of("a.pdf")).orElseThrow()).isInstanceOf(PdfReader.class);
        assertThat(registry.forPath(Path.of("a.txt")).orElseThrow().name()).isEqualTo("text");
    }

    @Test
    void htmlGivesVisibleTextWithParagraphs() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), """
                <html><head><title> The Page </title><style>p{color:red}</style></head>
                <body><h1>Heading</h1><p>First   paragraph with <b>bold</b>
                text.</p><script>var x = 1;</script><p>Second<br>line</p>
                <ul><li>one</li><li>two</li></ul><pre>  keep
                  spaces</pre></body></html>""");
        Document doc = ReaderRegistry.defaults().read(file, "page.html");
        assertThat(doc.text()).isEqualTo("Heading\n\nFirst paragraph with bold text.\n\nSecond\nline\n\none\ntwo\n\n  keep\n  spaces");
        assertThat(doc.metadata()).containsEntry("title", "The Page").containsEntry("format", "html");
    }

    @Test
    void htmlHonoursDeclaredCharset() throws Exception {
        byte[] latin1 = "<html><head><meta charset=\"ISO-8859-1\"></head><body><p>caf\u00e9</p></body></html>"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin.html"), latin1);
        assertThat(new HtmlReader().read(file, "l").text()).isEqualTo("café");
    }

    @Test
    void binaryHtmlIsReported() throws Exception {
        Path file = Files.write(dir.resolve("x.html"), new byte[] {'<', 0, 1});
        assertThatThrownBy(() -> new HtmlReader().read(file, "x")).isInstanceOfSatisfying(DocumentReadException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.BINARY));
    }

    @Test
    void pdfTextIsExtractedPerPage() throws Exception {
        Path file = dir.resolve("doc.pdf");
        try (PDDocument pdf = new PDDocument()) {
            for (String line : new String[] {"Four score and seven years ago", "Government of the people"}) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(line);
                    content.endText();
                }
            }
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle("Speeches");
            pdf.setDocumentInformation(info);
            pdf.save(file.toFile());
        }
        Document doc = ReaderRegistry.defaults().read(file, "doc.pdf");
        assertThat(doc.text()).isEqualTo("Four score and seven years ago\n\nGovernment of the people");
        assertThat(doc.metadata()).containsEntry("pages", "2").containsEntry("title", "Speeches");
    }

    @Test
    void corruptPdfIsParseFailureNamingPath() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.pdf"), "%PDF-1.7 this is not really a pdf");
        assertThatThrownBy(() -> new PdfReader().read(file, "b")).isInstanceOfSatisfying(DocumentReadException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.PARSE_FAILED);
            assertThat(e.getMessage()).contains("broken.pdf");
        });
    }
}
