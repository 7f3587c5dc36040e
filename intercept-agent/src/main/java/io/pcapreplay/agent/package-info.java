/**
 * The intercept agent: command line ({@link io.pcapreplay.agent.Main}, {@link io.pcapreplay.agent.AgentOptions})
 * and the assembly of capture, routing and server ({@link io.pcapreplay.agent.InterceptAgent}).
 */
package io.pcapreplay.agent;
