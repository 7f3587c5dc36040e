package io.pcapreplay.jmeter;

import java.util.Set;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.engine.TreeCloner;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.property.JMeterProperty;
import org.apache.jmeter.testelement.property.PropertyIterator;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterThread;
import org.apache.jmeter.threads.JMeterVariables;
import org.apache.jmeter.threads.ListenerNotifier;
import org.apache.jmeter.threads.ThreadGroup;
import org.apache.jorphan.collections.ListedHashTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ThreadGroup} whose users may run on virtual threads (Java 21+, {@link VirtualUsers}): started like
 * ThreadGroup.start does (ramp-up as initial delays, scheduler), then stopped, counted and awaited through
 * {@link VirtualUsers} instead of ThreadGroup's platform threads. The base of {@link PcapReplayThreadGroup}.
 */
abstract class VirtualUserThreadGroup extends ThreadGroup {

    /** What a user's copy of any of these groups keeps: the controller's and the error handling's properties. */
    static final Set<String> USER_COPY_PROPERTIES = Set.of(TestElement.NAME, TestElement.TEST_CLASS,
        TestElement.ENABLED, MAIN_CONTROLLER, ON_SAMPLE_ERROR);

    private static final long serialVersionUID = 1L;
    /** The group's log lines: same category as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(PcapReplayThreadGroup.class);

    private transient volatile VirtualUsers virtualUsers;
    private transient volatile HeldSessions heldSessions;

    /** A new run: no comet session held yet (see {@link HeldSessions}). */
    void newHeldSessions() {
        heldSessions = new HeldSessions();
    }

    /** Returns the comet sessions this run's users hold after their last exchange (thread per user). */
    HeldSessions heldSessions() {
        HeldSessions current = heldSessions;
        return current != null ? current : new HeldSessions(); // set when the group starts, before any user
    }

    /** Starts the users: on virtual threads when asked for and the JVM has them, else as ThreadGroup does. */
    void startUsers(boolean virtualThreads, int groupNumber, ListenerNotifier notifier,
            ListedHashTree threadGroupTree, StandardJMeterEngine engine) {
        if (virtualThreads && VirtualUsers.available()) {
            startVirtualUsers(groupNumber, notifier, threadGroupTree, engine);
        } else {
            virtualUsers = null;
            super.start(groupNumber, notifier, threadGroupTree, engine);
        }
    }

    /** Thread per user on Java 21+: like ThreadGroup.start (ramp-up as initial delays, scheduler), virtual threads. */
    private void startVirtualUsers(int groupNumber, ListenerNotifier notifier, ListedHashTree threadGroupTree,
            StandardJMeterEngine engine) {
        VirtualUsers users = new VirtualUsers();
        virtualUsers = users;
        int count = getNumThreads();
        long now = System.currentTimeMillis();
        long perUserDelay = count == 0 ? 0 : getRampUp() * 1000L / count;
        JMeterVariables variables = JMeterContextService.getContext().getVariables();
        for (int i = 0; i < count && engine.isActive(); i++) {
            JMeterThread user = makeThread(engine, this, notifier, groupNumber, i, userTree(threadGroupTree),
                variables);
            if (getScheduler()) {
                user.setStartTime(now + Math.max(0, getDelay()) * 1000);
                if (getDuration() > 0) {
                    user.setEndTime(user.getStartTime() + getDuration() * 1000);
                }
                user.setScheduled(true);
            }
            user.setInitialDelay((int) Math.min(Integer.MAX_VALUE, perUserDelay * i));
            users.start(user);
        }
        LOG.info("{}: started {} user(s) on virtual threads", getName(), count);
    }

    /**
     * A user's copy of the group's tree, as JMeter's {@code cloneTree} makes it (every element cloned but the
     * {@code NoThreadClone} ones), except the group itself: its copy is {@link #userCopy()}, the user's loop.
     */
    private ListedHashTree userTree(ListedHashTree threadGroupTree) {
        TreeCloner cloner = new TreeCloner(true) {
            @Override
            protected Object addNodeToTree(Object node) {
                if (node != VirtualUserThreadGroup.this) {
                    return super.addNodeToTree(node);
                }
                Object copy = userCopy();
                getClonedTree().add(copy); // the root: the path to it is empty
                return copy;
            }
        };
        threadGroupTree.traverse(cloner);
        return cloner.getClonedTree();
    }

    /**
     * The copy of this group a user thread runs (JMeter's thread loop calls its {@code next()}; the user's
     * {@code JMeterContext} names this group itself, which JMeter reads everything else from): only the properties
     * in {@link #userCopyProperties()}, with the sampler controller (loop count) cloned as JMeter clones it. A full
     * clone copies every setting into every user: with hundreds of thousands of users that is kilobytes each.
     */
    VirtualUserThreadGroup userCopy() {
        VirtualUserThreadGroup copy;
        try {
            copy = getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            return (VirtualUserThreadGroup) clone();
        }
        PropertyIterator defaults = copy.propertyIterator();
        while (defaults.hasNext()) {
            defaults.next();
            defaults.remove();
        }
        Set<String> kept = userCopyProperties();
        PropertyIterator properties = propertyIterator();
        while (properties.hasNext()) {
            JMeterProperty property = properties.next();
            if (kept.contains(property.getName())) {
                copy.setProperty(property.clone());
            }
        }
        copy.setRunningVersion(isRunningVersion());
        return copy;
    }

    /** The properties a user's copy of the group keeps ({@link #userCopy()}): what its controller methods read. */
    Set<String> userCopyProperties() {
        return USER_COPY_PROPERTIES;
    }

    @Override
    public JMeterThread addNewThread(int delay, StandardJMeterEngine engine) {
        return virtualUsers == null ? super.addNewThread(delay, engine) : null;
    }

    @Override
    public boolean stopThread(String threadName, boolean now) {
        VirtualUsers users = virtualUsers;
        return users == null ? super.stopThread(threadName, now) : users.stop(threadName, now);
    }

    @Override
    public void threadFinished(JMeterThread thread) {
        VirtualUsers users = virtualUsers;
        if (users == null) {
            super.threadFinished(thread);
        } else {
            users.finished(thread);
        }
    }

    /** Stop now: the users are interrupted; a user holding a comet session lets go. */
    @Override
    public void tellThreadsToStop(boolean now) {
        heldSessions().releaseAll();
        VirtualUsers users = virtualUsers;
        if (users == null) {
            super.tellThreadsToStop(now);
        } else {
            users.stopAll(now);
        }
    }

    @Override
    public void tellThreadsToStop() {
        tellThreadsToStop(true);
    }

    /** Shutdown: every user ends after its current sample; a user holding a comet session lets go at once. */
    @Override
    public void stop() {
        VirtualUsers users = virtualUsers;
        if (users == null) {
            super.stop();
        } else {
            users.stopAll(false);
        }
        heldSessions().releaseAll();
    }

    @Override
    public int numberOfActiveThreads() {
        VirtualUsers users = virtualUsers;
        return users == null ? super.numberOfActiveThreads() : users.active();
    }

    @Override
    public boolean verifyThreadsStopped() {
        VirtualUsers users = virtualUsers;
        return users == null ? super.verifyThreadsStopped() : users.awaitStopped();
    }

    @Override
    public void waitThreadsStopped() {
        VirtualUsers users = virtualUsers;
        if (users == null) {
            super.waitThreadsStopped();
        } else {
            users.awaitStopped();
        }
    }
}
