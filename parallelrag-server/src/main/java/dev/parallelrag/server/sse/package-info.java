/**
 * Server-Sent Events as the server writes them: {@link dev.parallelrag.server.sse.SseWriter}, the one writer of every
 * event stream (answers, chat completion chunks, job progress), with the headers and heartbeats that let a stream
 * through proxies, and the notice that its client went away.
 */
package dev.parallelrag.server.sse;
