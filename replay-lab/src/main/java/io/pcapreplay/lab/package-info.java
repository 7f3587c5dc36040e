/**
 * The network lab for tests: a JUnit 5 extension ({@link io.pcapreplay.lab.LabTest}) that builds, per test class,
 * three hosts (client, target, assistant) out of Linux network namespaces and veth pairs, as in a tcpburn
 * deployment, with helpers to run processes and Java code inside them, start nginx, redis and the embedded target,
 * capture with tcpdump and add netem. Addresses: links 198.19.L.0/24 and 2001:2:0:L::/64; fake clients
 * 198.18.0.0/15 and 2001:2:0:ff00::/56, routed by the target to the assistant.
 */
package io.pcapreplay.lab;
