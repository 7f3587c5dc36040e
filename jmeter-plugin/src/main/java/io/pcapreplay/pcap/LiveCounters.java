package io.pcapreplay.pcap;

/**
 * What a live capture did so far: a snapshot.
 *
 * @param frames frames captured (after the kernel filter)
 * @param sessionsSeen client sessions that started (a SYN seen) on a chosen port
 * @param sessionsSampled of them, chosen by the sampling percentage
 * @param sessionsCopied sessions handed out for replay (each amplified copy counts once)
 * @param droppedInFlight sessions dropped because the cap on sessions in flight was reached
 * @param droppedBytes sessions dropped or cut because the cap on bytes buffered was reached
 * @param droppedQueue copies dropped because the users fell behind (the hand-out queue was full)
 * @param tooLarge sessions cut at the per-session limit (replayed up to there)
 * @param withoutSyn segments of connections whose start was not seen (not copied)
 * @param kernelDrops frames the kernel dropped (libpcap's counters), -1 when unknown
 * @param recordedFiles capture files written so far
 */
public record LiveCounters(long frames, long sessionsSeen, long sessionsSampled, long sessionsCopied,
                           long droppedInFlight, long droppedBytes, long droppedQueue, long tooLarge, long withoutSyn,
                           long kernelDrops, long recordedFiles) {

    /** Returns all drops: sessions or copies not replayed (or cut) for a cap. */
    public long drops() {
        return droppedInFlight + droppedBytes + droppedQueue + tooLarge;
    }

    @Override
    public String toString() {
        return frames + " frame(s), " + sessionsSeen + " session(s) seen, " + sessionsSampled + " sampled, "
            + sessionsCopied + " copies handed out; drops: " + droppedInFlight + " at the cap on sessions in flight, "
            + droppedBytes + " at the cap on bytes buffered, " + droppedQueue + " copies with no user free, "
            + tooLarge + " cut at the session size limit; " + withoutSyn + " segment(s) of sessions started before "
            + "the capture; kernel drops " + (kernelDrops < 0 ? "unknown" : kernelDrops)
            + (recordedFiles > 0 ? "; " + recordedFiles + " file(s) recorded" : "");
    }
}
