/**
 * The wire protocol between the intercept agent and the replayers: length-prefixed big-endian frames
 * ({@link io.pcapreplay.protocol.AgentProtocol}), one record per message
 * ({@link io.pcapreplay.protocol.AgentMessage}), a pure-Java incremental
 * {@link io.pcapreplay.protocol.AgentMessageDecoder} and an {@link io.pcapreplay.protocol.AgentMessageEncoder}.
 *
 * <p>Conversation: the replayer sends HELLO (magic, version, token, name, payload cap); the agent answers ACCEPT
 * or REJECT-and-close. Then the replayer sends REGISTER/UNREGISTER (answered by ACK or ERROR) and HEARTBEATs; the
 * agent streams CAPTURED batches, periodic STATS and heartbeats. No dependency on any library: the Netty adapters
 * live in the modules that use Netty.
 */
package io.pcapreplay.protocol;
