/** Routing of captured packets: destination (fake client) address to the replayer that registered it. */
package io.pcapreplay.agent.router;
