/**
 * The API keys of a server: {@link dev.parallelrag.server.auth.ApiKeys} reads them (a keys file, the
 * {@code PARALLELRAG_API_KEYS} variable) and keeps only their SHA-256 hashes, matched in constant time; each key may
 * carry its own limits ({@link dev.parallelrag.server.auth.ClientKey}). No key is ever logged, put in an error
 * message, a metric or a {@code toString}: a key is named by its label or its line.
 */
package dev.parallelrag.server.auth;
