package io.pcapreplay.lab;

import com.sun.jna.LastErrorException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived platform thread that has entered a network namespace with setns(2): sockets created by code
 * running on it belong to that namespace (and stay there, whatever thread uses them later).
 */
final class NamespaceThread implements AutoCloseable {
    private final String namespace;
    private final ExecutorService executor;

    NamespaceThread(String namespace) {
        this.namespace = namespace;
        this.executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "lab-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
        try {
            call(Duration.ofSeconds(10), () -> {
                enter(namespace);
                return null;
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs code on the namespace's thread and waits for its result. */
    <T> T call(Duration timeout, Callable<T> task) {
        Future<T> future = executor.submit(task);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new LabException("task in namespace " + namespace + ": failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new LabException("task in namespace " + namespace + ": still running after " + timeout
                    + " (expected: to end within the timeout; interrupted it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new LabException("task in namespace " + namespace + ": interrupted", e);
        }
    }

    /** Executes tasks on the namespace's thread (fire and forget). */
    Executor executor() {
        return executor::execute;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void enter(String namespace) {
        String path = "/run/netns/" + namespace;
        int fd;
        try {
            fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new LabException("namespace file " + path + ": cannot open, errno " + e.getErrorCode()
                    + " (expected: created by ip netns add)", e);
        }
        try {
            Libc.setns(fd, Libc.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new LabException("setns(" + path + "): errno " + e.getErrorCode()
                    + " (expected: success; needs root or CAP_SYS_ADMIN)", e);
        } finally {
            Libc.close(fd);
        }
    }
}
