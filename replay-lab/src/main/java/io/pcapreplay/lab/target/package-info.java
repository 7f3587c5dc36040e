/**
 * The embedded Java target: a small NIO HTTP/1.1 and TCP echo server used as the server under test in lab tests
 * ({@link io.pcapreplay.lab.target.EmbeddedTarget}), runnable on its own.
 */
package io.pcapreplay.lab.target;
