/**
 * {@code GET /openapi.json}: the server's API contract, an OpenAPI 3.1 document kept by hand as a resource of this
 * package ({@code openapi.json}) and served as it is. The tests of the server module validate it and compare its
 * paths and methods with the routes the server registers, both ways, so a route cannot be added without its entry.
 */
package dev.parallelrag.server.openapi;
