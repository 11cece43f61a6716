/**
 * Text splitters ({@code CharacterSplitter}, {@code SeparatorSplitter}, {@code RecursiveSplitter}, {@code
 * TokenSplitter}, {@code SentenceSplitter}, made by {@code Splitters}) that cut text as LangChain's splitters do,
 * with exact offsets; {@code BatchSplitter} and {@code StreamingSplitter} split many or very large texts in
 * parallel.
 */
package dev.parallelrag.split;
