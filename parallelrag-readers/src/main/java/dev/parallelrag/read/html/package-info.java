/**
 * The HTML reader: the visible text of a page (jsoup), blocks as lines and paragraphs, charset from the BOM or
 * {@code <meta>}; found by {@code ServiceLoader} for the html, htm and xhtml extensions.
 */
package dev.parallelrag.read.html;
