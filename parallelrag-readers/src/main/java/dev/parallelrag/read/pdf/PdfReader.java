package dev.parallelrag.read.pdf;

import dev.parallelrag.model.Document;
import dev.parallelrag.read.DocumentReadException;
import dev.parallelrag.read.DocumentReadException.Problem;
import dev.parallelrag.read.DocumentReader;
import dev.parallelrag.read.SourceFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF files: the text of every page, extracted with Apache PDFBox in reading order
 * ({@code setSortByPosition}). Pages are separated by a blank line. Scanned pages without a text
 * layer yield no text (there is no OCR); a password-protected file is reported, not skipped
 * silently. Metadata: {@code pages}, and {@code title} when the PDF declares one.
 */
public class PdfReader implements DocumentReader {

    @Override
    public String name() {
        return "pdf";
    }

    @Override
    public Set<String> extensions() {
        return Set.of("pdf");
    }

    @Override
    public Document read(Path path, String documentId) {
        byte[] bytes = SourceFiles.readBytes(path);
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setLineSeparator("\n");
            stripper.setPageEnd("\n\n");
            String text = stripper.getText(pdf).strip();
            Map<String, String> metadata = new HashMap<>();
            metadata.put("format", name());
            metadata.put("pages", Integer.toString(pdf.getNumberOfPages()));
            PDDocumentInformation info = pdf.getDocumentInformation();
            if (info != null && info.getTitle() != null && !info.getTitle().isBlank()) {
                metadata.put("title", info.getTitle().strip());
            }
            return new Document(documentId, text, metadata);
        } catch (InvalidPasswordException e) {
            throw new DocumentReadException(path, Problem.PARSE_FAILED,
                    "the PDF is password-protected; decrypt it first (e.g. qpdf --decrypt)", e);
        } catch (IOException | RuntimeException e) {
            throw new DocumentReadException(path, Problem.PARSE_FAILED,
                    "cannot parse PDF: " + e.getMessage() + "; check that it is a valid PDF file", e);
        }
    }
}
