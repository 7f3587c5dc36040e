/**
 * The agent's Netty server: replayer handshake and requests ({@code ReplayerHandler}), per-replayer bounded
 * queues with batching ({@link io.pcapreplay.agent.server.ReplayerSession}), and the Netty adapters of the
 * protocol codec.
 */
package io.pcapreplay.agent.server;
