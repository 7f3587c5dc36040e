package io.pcapreplay.jmeter;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.jmeter.threads.JMeterThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread per user on virtual threads (Java 21+): starts and tracks the {@link JMeterThread}s of a
 * {@link PcapReplayThreadGroup} the way JMeter's ThreadGroup does with platform threads (whose thread creation is
 * private there). Virtual threads are found by reflection, since the code is compiled for Java 17.
 */
final class VirtualUsers {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualUsers.class);
    private static final long JOIN_MILLIS = 5_000;
    private static final Method OF_VIRTUAL = method("java.lang.Thread", "ofVirtual");
    private static final Method NAME = method("java.lang.Thread$Builder", "name", String.class);
    private static final Method UNSTARTED = method("java.lang.Thread$Builder", "unstarted", Runnable.class);

    private final Map<JMeterThread, Thread> threads = new ConcurrentHashMap<>();

    /** Tells whether this JVM has virtual threads (Java 21+): whether it has. */
    static boolean available() {
        return OF_VIRTUAL != null && NAME != null && UNSTARTED != null;
    }

    /** Starts a JMeter thread on a new virtual thread. */
    void start(JMeterThread user) {
        Thread thread;
        try {
            Object builder = NAME.invoke(OF_VIRTUAL.invoke(null), user.getThreadName());
            thread = (Thread) UNSTARTED.invoke(builder, user);
        } catch (ReflectiveOperationException e) {
            LOG.warn("virtual thread for {}: {}; using a platform thread", user.getThreadName(), e.toString());
            thread = new Thread(user, user.getThreadName());
        }
        threads.put(user, thread);
        thread.start();
    }

    /** Forgets a finished JMeter thread. */
    void finished(JMeterThread user) {
        threads.remove(user);
    }

    /** Returns the running users: the count. */
    int active() {
        return threads.size();
    }

    /** Stops one user by name; {@code now} also interrupts it. Returns whether it was found. */
    boolean stop(String name, boolean now) {
        for (Map.Entry<JMeterThread, Thread> entry : threads.entrySet()) {
            if (entry.getKey().getThreadName().equals(name)) {
                stop(entry.getKey(), entry.getValue(), now);
                return true;
            }
        }
        return false;
    }

    /** Stops every user after its current sample; {@code now} also interrupts them. */
    void stopAll(boolean now) {
        threads.forEach((user, thread) -> stop(user, thread, now));
    }

    private static void stop(JMeterThread user, Thread thread, boolean now) {
        user.stop();
        if (now) {
            user.interrupt();
            thread.interrupt();
        }
    }

    /** Waits (bounded) for every user to end; returns whether all did. */
    boolean awaitStopped() {
        boolean stopped = true;
        for (Thread thread : threads.values()) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            stopped &= !thread.isAlive();
        }
        return stopped;
    }

    private static Method method(String className, String name, Class<?>... parameters) {
        try {
            return Class.forName(className).getMethod(name, parameters);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
