package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.SessionHandle;
import org.apache.jmeter.samplers.Sampler;
import org.apache.jmeter.threads.JMeterVariables;

/**
 * One user's current session (thread per user): kept in the thread's JMeter variables so that
 * {@link PcapReplayThreadGroup#next()} hands the same sampler back until every exchange of the session was sampled.
 */
final class UserSession {

    /** The variables object holding it. */
    static final String VARIABLE = "__pcapreplay.user";

    private Sampler sampler;
    private Sampler owner;
    private RecordedSession session;
    private SessionHandle handle;
    private int nextExchange;
    private boolean publisher;
    private boolean holding;

    /** Returns the user of these variables, creating it: never null. */
    static UserSession of(JMeterVariables variables) {
        Object value = variables.getObject(VARIABLE);
        if (value instanceof UserSession user) {
            return user;
        }
        UserSession user = new UserSession();
        variables.putObject(VARIABLE, user);
        return user;
    }

    /** Returns the user of these variables, or null. */
    static UserSession find(JMeterVariables variables) {
        return variables != null && variables.getObject(VARIABLE) instanceof UserSession user ? user : null;
    }

    /** Starts replaying a session for this user. */
    void begin(Sampler owner, RecordedSession recorded, SessionHandle started) {
        this.sampler = owner;
        this.owner = owner;
        this.session = recorded;
        this.handle = started;
        this.nextExchange = 0;
    }

    /** Makes this thread a publisher of engine-driven users: the sampler is handed back until it ends. */
    void publish(Sampler owner) {
        this.sampler = owner;
        this.publisher = true;
    }

    /**
     * Notes that one exchange was sampled; {@code last} ends the session for this user. Only {@code last}: a live
     * session that has no further exchange yet may still grow, and the user waits for it.
     */
    void advance(boolean last) {
        nextExchange++;
        if (last) {
            end();
        }
    }

    /**
     * Notes that the last exchange was sampled and the user now holds the connection (comet mode): the sampler is
     * handed back once more, to hold it ({@link HeldSessions}).
     */
    void hold() {
        nextExchange++;
        holding = true;
    }

    /** Tells whether the user holds its session after the last exchange: whether it does. */
    boolean isHolding() {
        return holding && handle != null;
    }

    /** Ends the session for this user (its later results are not sampled). */
    void end() {
        sampler = null;
        handle = null;
        publisher = false;
        holding = false;
    }

    /** Tells whether a session is being sampled: whether one is. */
    boolean isActive() {
        return handle != null || publisher;
    }

    /** Returns the sampler of the user's last session, kept after it ended (every session once), or null. */
    Sampler owner() {
        return owner;
    }

    /** The user stops: no sampler is handed back any more. */
    void stop() {
        end();
        owner = null;
    }

    /** Returns the sampler to call again while active, or null. */
    Sampler sampler() {
        return sampler;
    }

    RecordedSession session() {
        return session;
    }

    SessionHandle handle() {
        return handle;
    }

    int nextExchange() {
        return nextExchange;
    }
}
