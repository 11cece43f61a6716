/**
 * The web page at {@code GET /}: one static page (HTML, CSS and plain JavaScript, no build step, nothing fetched from
 * elsewhere) that asks, searches, uploads and shows health over the server's own {@code /v1} and {@code /health} routes.
 * The page's files are resources of this package; {@link dev.parallelrag.server.web.WebPageRoutes} serves them.
 */
package dev.parallelrag.server.web;
