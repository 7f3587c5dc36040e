package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the JMeter benchmarks ({@link JMeterBenchmarkIT}) share: nginx with many workers, the agent with a stats line
 * every second (its kernel drops), a capture recorded with curl in the lab, wrk, real JMeter started through
 * {@code bin/jmeter} (its default heap and GC unless told), the process's RSS and CPU from /proc, and a streaming
 * summary of a CSV JTL.
 */
final class BenchmarkLab {

    static final String TOKEN = "bench-token-0123456789";
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_COUNT = Pattern.compile("(\\d+) requests in");
    private static final Pattern KERNEL_DROPS = Pattern.compile("captured (\\d+) routed (\\d+) unrouted (\\d+) "
        + "dropped (\\d+) kernel-drops (\\d+|\\?)");

    /** nginx's echo module (Debian's libnginx-mod-http-echo, which nginx-light depends on). */
    private static final String ECHO_MODULE = "/usr/lib/nginx/modules/ngx_http_echo_module.so";

    private BenchmarkLab() {
    }

    /**
     * nginx in the target on port 80: {@code workers} processes on a reuseport listener, each with at most 19,000
     * connections (a process opens at most 20,000 files here), a 55-byte page at /, keep-alive for 600 s; the target
     * namespace's listen backlog and SYN backlog raised.
     */
    static Path startNginx(Lab lab, int workers) throws IOException {
        return startNginx(lab, workers, 0);
    }

    /**
     * As {@link #startNginx(Lab, int)}; with {@code holdSeconds} above 0 also /hold, answered only after that many
     * seconds (the echo module's echo_sleep, a timer in the worker: the request is held, nothing spins).
     */
    static Path startNginx(Lab lab, int workers, int holdSeconds) throws IOException {
        for (String sysctl : List.of("net.core.somaxconn=65535", "net.ipv4.tcp_max_syn_backlog=262144",
                "net.ipv4.tcp_syncookies=1", "net.ipv4.tcp_max_tw_buckets=2000000")) {
            lab.target().exec(Duration.ofSeconds(10), "sysctl", "-q", "-w", sysctl);
        }
        Path directory = Files.createDirectories(lab.workDir().resolve("bench-nginx"));
        Path www = Files.createDirectories(directory.resolve("www"));
        Files.createDirectories(directory.resolve("temp"));
        Files.write(www.resolve("index.html"), "x".repeat(54).concat("\n").getBytes(StandardCharsets.US_ASCII));
        String temp = directory.resolve("temp").toString();
        String hold = holdSeconds <= 0 ? "" : " location /hold { echo_sleep " + holdSeconds + "; echo held; }";
        String conf = String.join("\n",
            holdSeconds <= 0 ? "" : "load_module " + ECHO_MODULE + ";",
            "daemon off;",
            "worker_processes " + workers + ";",
            "worker_rlimit_nofile 20000;",
            "pid " + directory.resolve("nginx.pid") + ";",
            "events { worker_connections 19000; multi_accept on; }",
            "http {",
            "  access_log off;",
            "  keepalive_timeout 600s; keepalive_requests 100000;",
            "  client_body_temp_path " + temp + "; proxy_temp_path " + temp + "; fastcgi_temp_path " + temp + ";",
            "  uwsgi_temp_path " + temp + "; scgi_temp_path " + temp + ";",
            "  server { listen 80 reuseport backlog=65535; root " + www + ";" + hold + " }",
            "}", "");
        Files.writeString(directory.resolve("nginx.conf"), conf);
        LabProcess nginx = lab.target().start("nginx", "-p", directory.toString(), "-c",
            directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        nginx.awaitPort(80, Duration.ofSeconds(60));
        return directory;
    }

    /** The agent jar in the assistant with a stats line every second; returns the process (token in the work dir). */
    static LabProcess startAgent(Lab lab) throws IOException {
        Path tokenFile = tokenFile(lab);
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(List.of(ReplaySetup.java(), "-Xms16m", "-Xmx320m",
            "-XX:+UseSerialGC"));
        String jvmOptions = System.getProperty("bench.agentJvmArgs", "").trim(); // BENCH_AGENT_JVM_ARGS
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.split("\\s+")));
        }
        command.addAll(List.of("-jar", System.getProperty("agent.jar"), "-i",
            lab.assistant().interfaceTo(LabRole.TARGET), "-F", "tcp and dst net " + lab.fakeClientRange(), "-p",
            Integer.toString(ReplaySetup.AGENT_PORT), "-b", lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress(),
            "--token-file", tokenFile.toString(), "--stats-interval", "1"));
        String options = System.getProperty("bench.agentArgs", "").trim(); // BENCH_AGENT_ARGS, e.g. a batch pause
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        LabProcess agent = lab.assistant().start(command.toArray(String[]::new));
        agent.awaitOutput("listening for replayers", Duration.ofSeconds(30));
        return agent;
    }

    /**
     * What nginx logged after {@code from} bytes of its error log, each message once with its count (times, process
     * and connection numbers left out), most frequent first; "none" when it logged nothing.
     */
    static String nginxErrors(Path errorLog, long from) throws IOException {
        if (!Files.exists(errorLog) || Files.size(errorLog) <= from) {
            return "none";
        }
        byte[] all = Files.readAllBytes(errorLog);
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String line : new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8).split("\n")) {
            String message = line.replaceFirst("^\\S+ \\S+ ", "").replaceFirst("\\d+#\\d+: (\\*\\d+ )?", "")
                .replaceFirst(", client: .*", "");
            if (!message.isBlank()) {
                counts.merge(message, 1L, Long::sum);
            }
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
            .map(entry -> entry.getValue() + " x '" + entry.getKey() + "'")
            .collect(java.util.stream.Collectors.joining(", "));
    }

    static Path tokenFile(Lab lab) {
        return lab.workDir().resolve("bench-agent.token");
    }

    /** The agent's kernel drops and queue drops so far (its last stats line): {kernel, queue}. */
    static long[] agentDrops(LabProcess agent) {
        Matcher matcher = KERNEL_DROPS.matcher(agent.output());
        long[] drops = {0, 0};
        while (matcher.find()) {
            drops[0] = "?".equals(matcher.group(5)) ? -1 : Long.parseLong(matcher.group(5));
            drops[1] = Long.parseLong(matcher.group(4));
        }
        return drops;
    }

    /** Records one curl run in the lab (tcpdump on the target's client link, port 80): the capture file. */
    static Path record(Lab lab, String name, String... curlArguments) throws IOException {
        LabCapture capture = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT), "tcp port 80")
            .awaitStarted(Duration.ofSeconds(20));
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null"));
        command.addAll(List.of(curlArguments));
        lab.client().exec(Duration.ofSeconds(20), command.toArray(new String[0])).orThrow();
        Path recorded = capture.stop();
        Path copy = lab.workDir().resolve(name + ".pcap");
        Files.copy(recorded, copy);
        return copy;
    }

    static String targetUrl(Lab lab) {
        return "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/";
    }

    /** wrk -t2 -cCONNECTIONS -dSECONDS -H 'Connection: close' from the client: requests (= connections) per second. */
    static double wrk(Lab lab, int connections, int seconds, List<String> report) {
        ExecResult result = lab.client().exec(Duration.ofSeconds(seconds + 30L), "wrk", "-t", "2", "-c",
            Integer.toString(connections), "-d", seconds + "s", "-H", "Connection: close", targetUrl(lab)).orThrow();
        Matcher rate = WRK_RATE.matcher(result.stdout());
        Matcher count = WRK_COUNT.matcher(result.stdout());
        assertThat(rate.find() && count.find()).as(result.stdout()).isTrue();
        double perSecond = Double.parseDouble(rate.group(1));
        report.add(String.format(Locale.ROOT, "wrk -t2 -c%d -d%ds -H 'Connection: close' (reference): %s requests, "
            + "%.0f requests/s = connections/s", connections, seconds, count.group(1), perSecond));
        return perSecond;
    }

    /**
     * Starts {@code bin/jmeter -n -t examples/plans/replay.jmx -l results.jtl} in the client namespace through env
     * (HEAP, JVM_ARGS as given; the launcher's defaults otherwise).
     */
    static LabProcess startJMeter(Lab lab, Path run, String java, Map<String, String> environment, Path plan,
            List<String> properties) throws IOException {
        Path home = JMeterLab.jmeterHome();
        List<String> command = new ArrayList<>(List.of("env", "JAVA_HOME=" + Path.of(java).getParent().getParent()));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of("sh", home.resolve("bin/jmeter").toString(), "-n", "-t", plan.toString(),
            "-l", run.resolve("results.jtl").toString(), "-j", run.resolve("jmeter.log").toString(),
            "-Jjmeter.save.saveservice.output_format=csv"));
        properties.forEach(property -> command.add("-J" + property));
        return lab.client().start(command.toArray(new String[0]));
    }

    /** Asks the JMeter in the client to end its test gracefully (bin/shutdown.sh; the engine resets connections). */
    static void shutdownJMeter(Lab lab, String java) throws IOException {
        lab.client().exec(Duration.ofSeconds(60), "env", "JAVA_HOME=" + Path.of(java).getParent().getParent(), "sh",
            JMeterLab.jmeterHome().resolve("bin/shutdown.sh").toString());
    }

    /** Waits (bounded) for a process to end; false when it still runs. */
    static boolean awaitEnd(LabProcess process, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (process.isAlive() && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        return !process.isAlive();
    }

    /** The resident set of a process: bytes (VmRSS). */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /**
     * The RSS once it settled after a full GC: G1 gives the heap it shrank back to the system in the background
     * (concurrent uncommit), so right after {@link #heapAfterGc} the RSS may still count it. Reads it every 500 ms
     * until two readings 1 s apart differ by less than 1 MiB, at most 30 s.
     */
    static long rssAfterGc(long pid) throws IOException, InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long previous = rss(pid);
        long stable = 0;
        while (System.nanoTime() < end && stable < 2) {
            Thread.sleep(500);
            long now = rss(pid);
            stable = Math.abs(now - previous) < 1024 * 1024 ? stable + 1 : 0;
            previous = now;
        }
        return previous;
    }

    /** CPU time the process used so far (user + system): nanoseconds, from /proc/PID/stat (100 ticks a second). */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    /** The heap used after a full GC, as jcmd reports it (GC.run, then GC.heap_info): bytes, -1 if unknown. */
    static long heapAfterGc(Lab lab, String java, long pid) {
        String jcmd = Path.of(java).getParent().resolve("jcmd").toString();
        lab.client().exec(Duration.ofSeconds(120), jcmd, Long.toString(pid), "GC.run");
        ExecResult info = lab.client().exec(Duration.ofSeconds(60), jcmd, Long.toString(pid), "GC.heap_info");
        if (Boolean.getBoolean("bench.histogram")) { // BENCH_HISTOGRAM=true: where the memory goes, next to the report
            ExecResult histogram = lab.client().exec(Duration.ofSeconds(120), jcmd, Long.toString(pid),
                "GC.class_histogram");
            // with -XX:NativeMemoryTracking=summary in BENCH_JVM_ARGS: where the memory outside the heap goes
            ExecResult nativeMemory = lab.client().exec(Duration.ofSeconds(120), jcmd, Long.toString(pid),
                "VM.native_memory", "summary");
            Path out = Path.of(System.getProperty("bench.out", "target/bench-jmeter.txt")).toAbsolutePath();
            try {
                Files.writeString(out.resolveSibling("histogram-" + System.currentTimeMillis() + "-" + pid + ".txt"),
                    info.stdout() + "\n" + nativeMemory.stdout() + "\n" + histogram.stdout());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        // G1 prints one heap line; Parallel and Serial one line per generation: their sum. Java 25 prints "total
        // reserved NK, committed NK, used NK"
        Matcher used = Pattern.compile("(?:garbage-first heap|PSYoungGen|ParOldGen|generation)\\s+total [^\\n]*?used "
            + "(\\d+)K").matcher(info.stdout());
        long usedKib = -1;
        while (used.find()) {
            usedKib = Math.max(0, usedKib) + Long.parseLong(used.group(1));
        }
        return usedKib < 0 ? -1 : usedKib * 1024;
    }

    /** Established TCP connections to port 80 in the target namespace (the server's count of held sessions). */
    static long established(Lab lab) {
        ExecResult result = lab.target().exec(Duration.ofSeconds(120), "sh", "-c",
            "ss -Htn state established '( sport = :80 )' | wc -l");
        return Long.parseLong(result.stdout().trim());
    }

    /**
     * Returns the packets the host's per-CPU receive backlogs dropped so far (/proc/net/softnet_stat, second column,
     * all CPUs): where a veth's packets go when {@code net.core.netdev_max_backlog} (host-wide) is exceeded.
     */
    static long softnetDrops() throws IOException {
        long drops = 0;
        for (String line : Files.readAllLines(Path.of("/proc/net/softnet_stat"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 1) {
                drops += Long.parseLong(fields[1], 16);
            }
        }
        return drops;
    }

    /** Returns the target namespace's TCP counters (nstat, absolute, zeros included): name to value. */
    static Map<String, Long> targetTcpCounters(Lab lab) throws IOException {
        ExecResult result = lab.target().exec(Duration.ofSeconds(20), "nstat", "-asz").orThrow();
        Map<String, Long> counters = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].startsWith("Tcp") && fields[1].matches("[0-9]+")) {
                counters.put(fields[0], Long.parseLong(fields[1]));
            }
        }
        return counters;
    }

    /** Returns the counters of resets, aborts, overflows and drops that grew from {@code before} to {@code after}. */
    static String tcpTrouble(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder text = new StringBuilder();
        after.forEach((name, value) -> {
            long grown = value - before.getOrDefault(name, 0L);
            if (grown > 0 && name.matches(".*(Rst|Abort|Overflow|Drop|Cookie|TWRecycled|TWKilled|Retrans).*")) {
                text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(grown);
            }
        });
        return text.length() == 0 ? "none" : text.toString();
    }

    /**
     * Writes the packet history (tcpdump's text) of the first {@code count} connections the server reset in a
     * capture of the target, to {@code report}.
     */
    static void resetHistories(Path pcap, Path report, int count) throws IOException {
        List<String> resets = tcpdumpText(pcap, "tcp src port 80 and tcp[tcpflags] & tcp-rst != 0");
        StringBuilder text = new StringBuilder(resets.size() + " reset(s) sent by the server\n");
        java.util.regex.Pattern client = java.util.regex.Pattern.compile("> ([0-9.]+)\\.([0-9]+):");
        resets.stream().map(client::matcher).filter(java.util.regex.Matcher::find)
            .map(found -> found.group(1) + " " + found.group(2)).distinct().limit(count).forEach(endpoint -> {
                String[] parts = endpoint.split(" ");
                text.append("\nhost ").append(parts[0]).append(" and port ").append(parts[1]).append(":\n");
                try {
                    tcpdumpText(pcap, "host " + parts[0] + " and port " + parts[1])
                        .forEach(line -> text.append(line).append('\n'));
                } catch (IOException e) {
                    text.append(e).append('\n');
                }
            });
        Files.writeString(report, text);
    }

    private static List<String> tcpdumpText(Path pcap, String filter) throws IOException {
        Process process = new ProcessBuilder("tcpdump", "-n", "-tt", "-r", pcap.toString(), filter)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
            .toList();
        try {
            process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines;
    }

    /** A streamed summary of a CSV JTL: rows, OK rows, codes, first start, last end, failure messages. */
    record Jtl(long rows, long ok, Map<String, Long> codes, long firstStart, long lastEnd,
               Map<Long, Long> okBySecond, Map<String, Long> failures) {

        static Jtl read(Path jtl) throws IOException {
            long rows = 0;
            long ok = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            Map<String, Long> codes = new TreeMap<>();
            Map<Long, Long> okBySecond = new TreeMap<>();
            Map<String, Long> failures = new TreeMap<>();
            try (BufferedReader reader = Files.newBufferedReader(jtl, StandardCharsets.UTF_8)) {
                List<String> header = fields(reader.readLine());
                int stamp = header.indexOf("timeStamp");
                int elapsed = header.indexOf("elapsed");
                int code = header.indexOf("responseCode");
                int success = header.indexOf("success");
                int message = header.indexOf("responseMessage");
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    List<String> row = fields(line);
                    if (row.size() <= success) {
                        continue;
                    }
                    rows++;
                    long start = Long.parseLong(row.get(stamp));
                    first = Math.min(first, start);
                    last = Math.max(last, start + Long.parseLong(row.get(elapsed)));
                    codes.merge(row.get(code), 1L, Long::sum);
                    if ("true".equals(row.get(success))) {
                        ok++;
                        okBySecond.merge((start + Long.parseLong(row.get(elapsed))) / 1000, 1L, Long::sum);
                    } else if (message >= 0 && row.size() > message) {
                        String text = row.get(message).replaceAll("[0-9]{4,}", "N"); // one entry per kind
                        failures.merge(text.substring(0, Math.min(100, text.length())), 1L, Long::sum);
                    }
                }
            }
            return new Jtl(rows, ok, codes, first, last, okBySecond, failures);
        }

        /**
         * The steady rate: the median of the OK sessions ended per whole second, the run's first and last (partial)
         * seconds left out; the whole run's rate when it lasted under 4 s.
         */
        double steadyRate() {
            List<Long> counts = new ArrayList<>(okBySecond.values());
            if (counts.size() < 4) {
                return ok / seconds();
            }
            counts = new ArrayList<>(counts.subList(1, counts.size() - 1));
            counts.sort(null);
            return counts.get(counts.size() / 2);
        }

        /** Returns the three most frequent failure messages with their counts (digits as N), or "none". */
        String topFailures() {
            if (failures.isEmpty()) {
                return "none";
            }
            return failures.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(entry -> entry.getValue() + " x \"" + entry.getKey() + "\"").collect(
                    java.util.stream.Collectors.joining("; "));
        }

        double seconds() {
            return Math.max(1, lastEnd - firstStart) / 1000.0;
        }

        private static List<String> fields(String line) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            return fields;
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
