/**
 * Netty adapters of the agent wire protocol ({@link io.pcapreplay.protocol}): a frame decoder and an encoder around
 * the pure-Java codec, shared by the intercept agent's server and the replayer's agent client.
 */
package io.pcapreplay.protocol.netty;
