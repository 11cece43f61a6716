/**
 * What an index records about itself: the {@link dev.parallelrag.index.IndexManifest} with the embedder,
 * the splitter and the store settings needed to reopen it, under keys documented in docs/ingest.md.
 */
package dev.parallelrag.index;
