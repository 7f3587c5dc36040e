package io.pcapreplay.agent;

import io.pcapreplay.agent.capture.CaptureException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry point: {@code java -jar intercept-agent.jar -i DEV -F FILTER --token-file FILE ...}. Runs until
 * SIGINT/SIGTERM; every startup failure has its own {@link ExitCode} and a message saying what to do.
 */
public final class Main {

    static final String HELP = """
            Usage: java -jar intercept-agent.jar -i DEV[,DEV] [-F FILTER] [-p PORT] [-b ADDR] --token-file FILE
                   [--snaplen N] [--stats-interval S] [--buffer-mib N] [--queue-mib N] [--heartbeat-timeout S]
                   [--max-ranges N] [--max-replayers N] [--max-handshakes N] [--max-handshakes-per-address N]
                   [--capture ring|pcap] [--batch-pause-us N] [--warm-up-ms N]

            The pcap-replay intercept agent. Runs on the ASSISTANT host, captures the responses the target sends
            to fake client addresses and streams them to the replayers (JMeter engines) that registered those
            addresses. Needs root or CAP_NET_RAW, and libpcap.

            Options:
              -i, --interface DEV[,DEV]  devices to capture on (one thread each); 'any' captures on all
              -F, --filter FILTER        pcap-filter(7) expression selecting the target's responses, e.g.
                                         'tcp and src host 198.19.0.2 and src port 80' (default: 'tcp and
                                         (dst net 198.18.0.0/15 or dst net 2001:2::/48)', the fake client
                                         ranges, IPv4 and IPv6); the agent adds 'and not tcp port PORT' so
                                         its own channel to the replayers is never captured
              -p, --port PORT            TCP port replayers connect to (default: 36524)
              -b, --bind ADDR            local address to listen on (default: 0.0.0.0)
              --token-file FILE          file holding the shared secret replayers must present (required;
                                         readable by its owner only: chmod 600 FILE)
              --snaplen N                bytes captured per packet (default: 65535)
              --stats-interval S         log a stats line every S seconds, 0 = only at exit (default: 10)
              --buffer-mib N             kernel capture buffer per device, MiB (default: 32)
              --queue-mib N              outbound queue per replayer, MiB; beyond it packets are dropped
                                         and counted (default: 64)
              --heartbeat-timeout S      close a replayer silent for S seconds and free its ranges (default: 30)
              --max-ranges N             most address ranges one replayer may register (default: 1024)
              --max-replayers N          most replayers connected at once (default: 64)
              --max-handshakes N         most connections not yet authenticated; when full, the OLDEST one
                                         is closed for the newcomer (default: 64)
              --max-handshakes-per-address N
                                         most of those from one source address; beyond it the NEW
                                         connection is refused (default: 8)
              --capture ring|pcap        ring: the agent's own memory-mapped packet ring (default);
                                         pcap: libpcap (always used for 'any' and non-Ethernet devices)
              --batch-pause-us N         after handing over a batch of packets, wait N microseconds before
                                         reading the next, so that under load packets travel in larger
                                         batches (fewer wake-ups); 0..10000, 0 = read on at once (default:
                                         500); the first packet after a quiet spell is read at once
              --warm-up-ms N             before saying it listens, relay synthetic packets to a replayer of
                                         its own over loopback (192.0.2.0/24, nothing leaves the host) until
                                         the JIT has compiled the relay path, at most N ms, so that the first
                                         test is not relayed by interpreted code; 0..60000, 0 = none
                                         (default: 3000)
              -h, --help                 this text;  -v, --version  the agent's version

            Routing the target needs (the agent only sees what reaches the assistant):
              on the TARGET:     ip route add 198.18.0.0/15 via ASSISTANT_IP
                                 ip -6 route add 2001:2::/48 via ASSISTANT_IPV6 (IPv6 fake clients)
                                 (the fake client range goes to the assistant, not back to the replayer)
                                 sysctl -w net.ipv4.conf.all.rp_filter=0 (and on the interface the fake
                                 packets arrive on), so packets from fake sources are not dropped
              on the ASSISTANT:  sysctl -w net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
                                 (responses must stop at the assistant; forwarding them would make the
                                 fake clients' kernel-less addresses answer with resets or loops)

            Exit codes: 0 stopped, 1 failure, 2 usage, 3 token file, 4 no permission (not root / no CAP_NET_RAW),
            5 no such interface, 6 invalid filter, 7 port in use, 8 libpcap missing.
            """;

    /**
     * Heap the agent needs besides its packet queues (Netty, routing, buffers), with room to spare; the launcher
     * gives 64 MiB (the JVM reports a little less than -Xmx as its maximum).
     */
    static final long HEAP_BASE_BYTES = 40L << 20;

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        configureLogging();
        CountDownLatch stopped = new CountDownLatch(1);
        int code = run(args, System.out, System.err, stopped);
        System.exit(code);
    }

    /**
     * Runs the agent until {@code stop} is released or the JVM shuts down.
     *
     * @param args the command line
     * @param out where help and version go
     * @param err where errors go
     * @param stop released to stop the agent (the JVM's shutdown hook stops it too)
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (AgentOptions.UsageException e) {
            if (e.request() != null) {
                out.print(e.request().contains("v") && !e.request().contains("help") ? "intercept-agent "
                        + InterceptAgent.VERSION + "\n" : HELP);
                return ExitCode.OK.code();
            }
            err.println("error: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        String token;
        try {
            token = TokenFile.read(options.tokenFile());
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCode.TOKEN_FILE.code();
        }
        String exposed = TokenFile.exposure(options.tokenFile());
        if (exposed != null) {
            err.println("error: token file " + options.tokenFile() + ": " + exposed + " (expected: readable by its "
                    + "owner only, anyone who can read it can receive the captured traffic); run:\n  chmod 600 "
                    + options.tokenFile());
            return ExitCode.TOKEN_FILE.code();
        }
        long heapNeeded = options.queueTotalBytes() + HEAP_BASE_BYTES;
        if (Runtime.getRuntime().maxMemory() < heapNeeded) {
            err.println("error: heap: " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB (expected: at least "
                    + (heapNeeded >> 20) + " MiB for --queue-total-mib " + (options.queueTotalBytes() >> 20)
                    + " plus " + (HEAP_BASE_BYTES >> 20) + " MiB; start the JVM with -Xmx"
                    + ((options.queueTotalBytes() >> 20) + 64) + "m or lower --queue-total-mib)");
            return ExitCode.USAGE.code();
        }
        if (!Privileges.canCapture()) {
            err.println("error: capture permission: missing (expected: root or CAP_NET_RAW; run with sudo, or "
                    + "setcap cap_net_raw,cap_net_admin+eip on the java binary)");
            return ExitCode.NO_PERMISSION.code();
        }
        return serve(options, token, err, stop);
    }

    private static int serve(AgentOptions options, String token, PrintStream err, CountDownLatch stop) {
        InterceptAgent agent = new InterceptAgent(options, token);
        Thread hook = new Thread(() -> {
            agent.close();
            stop.countDown();
        }, "shutdown");
        try {
            agent.start();
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            return ExitCode.OK.code();
        } catch (CaptureException e) {
            err.println("error: " + e.getMessage());
            return switch (e.kind()) {
                case NO_LIBPCAP -> ExitCode.NO_LIBPCAP.code();
                case NO_PERMISSION -> ExitCode.NO_PERMISSION.code();
                case NO_SUCH_INTERFACE -> ExitCode.NO_SUCH_INTERFACE.code();
                case BAD_FILTER -> ExitCode.BAD_FILTER.code();
                case OTHER -> ExitCode.FAILURE.code();
            };
        } catch (BindException e) {
            err.println("error: " + e.getMessage());
            return ExitCode.PORT_IN_USE.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK.code();
        } catch (RuntimeException | LinkageError e) {
            err.println("error: agent failed: " + e);
            return ExitCode.FAILURE.code();
        } finally {
            agent.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        }
    }

    private static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.log.io.netty", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
