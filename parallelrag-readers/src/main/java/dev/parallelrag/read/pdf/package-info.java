/**
 * The PDF reader: the text layer of each page (Apache PDFBox), pages separated by a blank line, no OCR; found by
 * {@code ServiceLoader} for the pdf extension.
 */
package dev.parallelrag.read.pdf;
