package io.pcapreplay.pcap;

/**
 * An intrusive doubly linked list of connections in order of their last packet (least recent first): moving a
 * connection to the end on each packet and finding the longest idle one cost nothing per packet but a few
 * assignments. A connection is in at most one list ({@link CapturedConnection#list}).
 */
final class ConnectionList {

    private CapturedConnection first;
    private CapturedConnection last;

    /** Returns the least recently active connection, or null: the first. */
    CapturedConnection first() {
        return first;
    }

    /** Appends a connection, taking it out of its list first (a packet made it the most recent). */
    void moveToEnd(CapturedConnection connection) {
        if (connection.list == this && last == connection) {
            return;
        }
        if (connection.list != null) {
            connection.list.remove(connection);
        }
        connection.previous = last;
        connection.next = null;
        if (last == null) {
            first = connection;
        } else {
            last.next = connection;
        }
        last = connection;
        connection.list = this;
    }

    /** Takes a connection out of this list. */
    void remove(CapturedConnection connection) {
        if (connection.previous == null) {
            first = connection.next;
        } else {
            connection.previous.next = connection.next;
        }
        if (connection.next == null) {
            last = connection.previous;
        } else {
            connection.next.previous = connection.previous;
        }
        connection.previous = null;
        connection.next = null;
        connection.list = null;
    }
}
