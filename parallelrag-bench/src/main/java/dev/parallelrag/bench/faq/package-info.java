/**
 * The FAQ retrieval benchmark (issue 14): questions from the Debian and Python FAQs, each with its known answer
 * passage, over a corpus padded with related documentation. {@link dev.parallelrag.bench.faq.FaqDataset} loads
 * and checks the committed set ({@code data/faq}); {@link dev.parallelrag.bench.faq.FaqBench} ingests it with the
 * engine and scores every search mode on the dev and test halves.
 */
package dev.parallelrag.bench.faq;
