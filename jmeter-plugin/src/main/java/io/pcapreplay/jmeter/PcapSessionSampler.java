package io.pcapreplay.jmeter;

import io.pcapreplay.http.PathNormalizer;
import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplayRuntimeException;
import io.pcapreplay.net.ReplaySettings;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.SessionHandle;
import java.time.Duration;
import java.util.Objects;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.Entry;
import org.apache.jmeter.samplers.Interruptible;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testbeans.TestBean;
import org.apache.jmeter.testelement.TestStateListener;
import org.apache.jmeter.testelement.ThreadListener;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterThread;

/**
 * "Pcap Session Sampler": replays the sessions of its {@link PcapReplayThreadGroup} through the shared
 * {@link ReplayRuntime}, one sample per request/response exchange (see {@link ExchangeSamples}). It never throws:
 * set-up failures (no raw socket, agent unreachable, unreadable capture) become one failed sample per user, who then
 * stops. "Stop now" interrupts its waits. Every field may hold {@code ${__P(name,default)}}.
 */
public class PcapSessionSampler extends SessionSamplerProperties implements TestBean, Interruptible, ThreadListener,
        TestStateListener {

    /** Response code of a sample that could not be replayed at all (settings, raw socket, agent, capture). */
    public static final String SETUP_FAILED = "SETUP_FAILED";
    /** Transport: raw IP packets through a Linux raw socket. */
    public static final String RAW_IP = "raw-ip";
    /** Transport: kernel TCP sockets from this host's own address (no root, no agent). */
    public static final String KERNEL = "kernel";

    private static final long serialVersionUID = 1L;
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(5);
    /** Slice of the wait for an exchange a live session has not captured yet. */
    private static final Duration LIVE_SLICE = Duration.ofSeconds(1);
    private static final Duration PUBLISH_POLL = Duration.ofMillis(250);


    private transient ReplayRuntime runtime;
    private transient ReplaySettings runtimeSettings;
    private transient volatile Thread waiting;
    private transient String pathsText;
    private transient PathNormalizer paths;
    /** Engine-driven: the users this thread publishes for, their label path rules and style (set up once). */
    private transient EngineUsers publishing;
    private transient PathNormalizer publishingPaths;
    private transient LabelStyle publishingStyle;

    @Override
    public SampleResult sample(Entry entry) {
        JMeterContext context = JMeterContextService.getContext();
        UserSession user = UserSession.of(context.getVariables());
        waiting = Thread.currentThread();
        try {
            if (context.getThreadGroup() instanceof PcapReplayThreadGroup group
                    && (publishing != null || group.userMode() == UserMode.ENGINE_DRIVEN)) {
                return publish(context, user, group);
            }
            if (user.isHolding()) { // held here only when no PcapReplayThreadGroup loop held it (its next())
                HeldSessions.holdUntilOver(context, user);
                return null; // holding is not an exchange, no sample
            }
            if (!user.isActive()) {
                SampleResult failure = beginSession(context, user);
                if (failure != null || !user.isActive()) {
                    return failure;
                }
            }
            return isSessionParent() ? wholeSession(user) : nextExchange(user);
        } catch (InterruptedException e) {
            String label = currentLabel(user);
            user.end();
            return failed(label, "INTERRUPTED", "stopped while replaying (JMeter stop)");
        } catch (RuntimeException e) {
            user.end();
            return failed(getName(), "ERROR", "unexpected: " + e);
        } finally {
            waiting = null;
        }
    }

    /** Engine-driven: the next finished exchange of any user, or null (and this thread stops) when all are done. */
    private SampleResult publish(JMeterContext context, UserSession user, PcapReplayThreadGroup group)
            throws InterruptedException {
        if (group.sessionSource() == null) {
            return setupFailed(context, String.valueOf(group.loadError()), false);
        }
        EngineUsers users = publishing;
        PathNormalizer labelPathRules = publishingPaths;
        LabelStyle style = publishingStyle;
        if (users == null) { // once per publishing thread: its later samples only take the next finished exchange
            try {
                ReplaySettings settings = SamplerSettings.parse(this, group.getStartRate());
                labelPathRules = PathNormalizer.parse(getLabelPaths());
                style = labelStyleValue();
                String rules = text(getHttpRules());
                HttpReplay http = group.httpReplay();
                if (group.sessionSource().first() != null) {
                    http.rewrite(group.sessionSource().first(), rules); // a malformed rule fails here, once
                }
                users = group.engineUsers(settings, http, rules, requestRateValue());
                runtimeSettings = users.settings();
            } catch (ReplayRuntimeException | IllegalArgumentException e) {
                return setupFailed(context, e.getMessage());
            }
            publishing = users;
            publishingPaths = labelPathRules;
            publishingStyle = style;
            user.publish(this);
            FrozenProperties.freeze(this); // the settings were read: no function evaluated again per sample
        }
        while (true) {
            EngineUsers.Finished finished = users.poll(PUBLISH_POLL);
            if (finished != null) {
                RecordedSession session = finished.session();
                ReplayedExchange.remember(context.getVariables(),
                    session.exchange(finished.result().exchangeIndex()), finished.result());
                SampleResult sample = ExchangeSamples.toSample(finished.result(), session, style, labelPathRules,
                    getName(), System.nanoTime(), System.currentTimeMillis());
                if (finished.warmUp()) {
                    sample.setIgnore(); // JMeter's sample path runs warm-up exchanges too; no listener sees them
                }
                return sample;
            }
            if (users.isDone()) {
                user.end();
                publishing = null;
                JMeterThread thread = context.getThread();
                if (thread != null) {
                    thread.stop();
                }
                return null;
            }
        }
    }

    private SampleResult beginSession(JMeterContext context, UserSession user) throws InterruptedException {
        if (!(context.getThreadGroup() instanceof PcapReplayThreadGroup group)) {
            return setupFailed(context, "Pcap Session Sampler '" + getName() + "': not in a Pcap Replay Thread "
                + "Group (expected: add it under Add > Threads > Pcap Replay Thread Group)");
        }
        SessionSource source = group.sessionSource();
        if (source == null) {
            return setupFailed(context, String.valueOf(group.loadError()), false);
        }
        try {
            ReplaySettings settings = SamplerSettings.parse(this, group.getStartRate());
            if (runtime == null || !settings.equals(runtimeSettings) || runtime.isStopped()) {
                releaseRuntime();
                runtime = ReplayRuntime.acquire(settings);
                runtimeSettings = settings;
                ClockProperties.publish(runtime);
                runtime.expectUsers(group, group.getUsers());
            }
        } catch (ReplayRuntimeException | IllegalArgumentException e) {
            return setupFailed(context, e.getMessage());
        }
        HttpReplay.Start start;
        try {
            start = group.httpReplay().next(source, runtimeSettings.speedFactor(), text(getHttpRules()),
                requestRateValue());
        } catch (IllegalArgumentException e) {
            return setupFailed(context, getName() + ": " + e.getMessage());
        }
        if (start == null) {
            if (source.isLive() && source.failure() == null) {
                return null; // no live session yet: the next iteration asks again (after the scheduler's check)
            }
            if (source.isClosed() || source.isExhausted()) {
                user.stop();
                JMeterThread thread = context.getThread();
                if (thread != null) {
                    thread.stop();
                }
                return null;
            }
            return setupFailed(context, source.failure());
        }
        if (start.session().exchangeCount() == 0) {
            return setupFailed(context, getName() + ": every request of every session is excluded by the HTTP rules "
                + "(expected: --http-allow-*/--http-disallow-* rules that keep some requests)");
        }
        try {
            long wait = start.startAtNanos() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (start.ticket() != null) {
                start.ticket().awaitStart(); // the recorded causal order: bounded
            }
        } catch (InterruptedException e) {
            start.abandon();
            throw e;
        }
        SessionHandle handle;
        try {
            handle = runtime.startSession(start.session(), null, start.pacer(), start.ticket());
        } catch (IllegalArgumentException e) {
            start.abandon();
            SetupFailures.report(getName(), e.getMessage());
            return failed(getName(), SETUP_FAILED, e.getMessage());
        }
        user.begin(this, start.session(), handle);
        return null;
    }

    /** How long requests of this group wait for the requests-per-second limit now (0 without one). */
    private long pacingBacklog() {
        try {
            return JMeterContextService.getContext().getThreadGroup() instanceof PcapReplayThreadGroup group
                ? group.httpReplay().backlogNanos(requestRateValue()) : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private double requestRateValue() {
        return SamplerSettings.decimal("requests per second", getRequestRate());
    }

    private SampleResult nextExchange(UserSession user) throws InterruptedException {
        RecordedSession session = user.session();
        int index = user.nextExchange();
        ExchangeResult result = awaitResult(user, session, index);
        if (result == null && index >= session.exchangeCount()) {
            user.end(); // a live session that ended without another exchange
            return null;
        }
        if (result == null) {
            String label = ExchangeSamples.label(session.exchange(index), session, labelStyleValue(), getName());
            SessionHandle handle = user.handle();
            user.end();
            if (handle.isDone()) {
                return failed(label, "CLOSED_EARLY", "session over before exchange " + index + ": "
                    + handle.endReason());
            }
            return failed(label, "TIMEOUT", "no result from the replay engine within " + waitFor(session, index));
        }
        ReplayedExchange.remember(JMeterContextService.getContext().getVariables(),
            session.exchange(result.exchangeIndex()), result);
        SampleResult sample = ExchangeSamples.toSample(result, session, labelStyleValue(), pathsValue(), getName(),
            System.nanoTime(), System.currentTimeMillis());
        boolean growing = session.isGrowing(); // first: once it reads false, the count read after it is final
        boolean last = !result.ok() || result.exchangeIndex() + 1 >= session.exchangeCount() && !growing;
        if (last && result.ok() && runtimeSettings.comet() && !user.handle().isDone()) {
            user.hold(); // the next call holds the connection: one comet session per user, no timer element
        } else {
            user.advance(last);
        }
        return sample;
    }

    /**
     * Waits for the result of an exchange: with the usual timeout once the exchange is known; for one a live session
     * has not captured yet, as long as the session grows (in slices, so a stop interrupts it).
     */
    private ExchangeResult awaitResult(UserSession user, RecordedSession session, int index)
            throws InterruptedException {
        SessionHandle handle = user.handle();
        while (index >= session.exchangeCount()) {
            ExchangeResult result = handle.awaitNext(LIVE_SLICE);
            boolean growing = session.isGrowing(); // first: once it reads false, the count read after it is final
            if (result != null || handle.isDone() || !growing && index >= session.exchangeCount()) {
                return result;
            }
        }
        return handle.awaitNext(waitFor(session, index).plusNanos(pacingBacklog()));
    }

    /** Per-session parent: one sample for the whole session, each exchange a sub-sample. */
    private SampleResult wholeSession(UserSession user) throws InterruptedException {
        RecordedSession session = user.session();
        SampleResult parent = new SampleResult();
        parent.setSampleLabel(getName() + " " + session.server().port() + " session");
        parent.setSuccessful(true);
        parent.setResponseCodeOK();
        parent.setResponseMessage("OK");
        StringBuilder requests = new StringBuilder();
        while (user.isActive() && !user.isHolding()) {
            SampleResult exchange = nextExchange(user);
            if (parent.getSubResults().length == 0) {
                parent.setStampAndTime(exchange.getStartTime(), 0);
            }
            parent.addSubResult(exchange, false); // keep the exchange labels (no "parent-N" renaming)
            requests.append(exchange.getSampleLabel()).append('\n');
            if (!exchange.isSuccessful() && parent.isSuccessful()) {
                parent.setSuccessful(false);
                parent.setResponseCode(exchange.getResponseCode());
                parent.setResponseMessage(exchange.getResponseMessage());
            }
        }
        parent.setSamplerData(requests.toString());
        return parent;
    }

    /** Returns the label of the exchange the user is waiting for, or the sampler's name. */
    private String currentLabel(UserSession user) {
        RecordedSession session = user.session();
        if (!user.isActive() || session == null || user.nextExchange() >= session.exchangeCount()) {
            return getName();
        }
        return ExchangeSamples.label(session.exchange(user.nextExchange()), session, labelStyleValue(), getName());
    }

    private static String text(String value) {
        return value == null ? "" : value.trim();
    }

    private Duration waitFor(RecordedSession session, int index) {
        double speed = runtimeSettings.speedFactor();
        long thinkNanos = speed <= 0 ? 0 : (long) (session.exchange(index).thinkTimeNanos() / speed);
        Duration wait = runtimeSettings.responseTimeout().plus(WAIT_MARGIN).plusNanos(thinkNanos);
        return index == 0 ? wait.plus(runtimeSettings.connectTimeout().multipliedBy(4)) : wait;
    }

    private PathNormalizer pathsValue() {
        String text = Objects.requireNonNullElse(getLabelPaths(), "");
        if (!text.equals(pathsText)) {
            try {
                paths = PathNormalizer.parse(text);
            } catch (IllegalArgumentException e) {
                paths = PathNormalizer.DEFAULT;
            }
            pathsText = text;
        }
        return paths;
    }

    private LabelStyle labelStyleValue() {
        try {
            return LabelStyle.parse(getLabelStyle());
        } catch (IllegalArgumentException e) {
            return LabelStyle.REQUEST_LINE;
        }
    }

    /** A failed sample, then this user stops: nothing can be replayed with these settings (logged once). */
    private SampleResult setupFailed(JMeterContext context, String message) {
        return setupFailed(context, message, true);
    }

    /** As above; {@code log} false when the thread group logged the reason already. */
    private SampleResult setupFailed(JMeterContext context, String message, boolean log) {
        if (log) {
            SetupFailures.report(getName(), message);
        }
        JMeterThread thread = context.getThread();
        if (thread != null) {
            thread.stop();
        }
        return failed(getName(), SETUP_FAILED, message);
    }

    private static SampleResult failed(String label, String code, String message) {
        SampleResult sample = new SampleResult();
        sample.setSampleLabel(label);
        sample.sampleStart();
        sample.sampleEnd();
        sample.setResponseCode(code);
        sample.setResponseMessage(message);
        sample.setSuccessful(false);
        sample.setDataType(SampleResult.TEXT);
        sample.setResponseData(message, "UTF-8");
        AssertionResult assertion = new AssertionResult("pcap replay");
        assertion.setFailure(true);
        assertion.setFailureMessage(message);
        sample.addAssertionResult(assertion);
        return sample;
    }

    private void releaseRuntime() {
        if (runtime != null) {
            runtime.release();
            runtime = null;
            runtimeSettings = null;
        }
    }

    @Override
    public boolean interrupt() {
        Thread thread = waiting;
        if (thread != null) {
            thread.interrupt();
        }
        return thread != null;
    }

    @Override
    public void threadStarted() {
        // the runtime is acquired with the first session
    }

    @Override
    public void threadFinished() {
        releaseRuntime();
    }

    @Override
    public void testStarted() {
        SetupFailures.reset(); // each user acquires the shared runtime itself
    }

    @Override
    public void testStarted(String host) {
        testStarted();
    }

    /** Stops every runtime: every session still open is reset. */
    @Override
    public void testEnded() {
        EngineUsers.stopAll();
        ReplayRuntime.stopAll();
        SessionSource.closeAll();
    }

    @Override
    public void testEnded(String host) {
        testEnded();
    }

}
