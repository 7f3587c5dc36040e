/** Finding the libpcap that pcap4j loads, for the replayer and the agent alike. */
package io.pcapreplay.libpcap;
