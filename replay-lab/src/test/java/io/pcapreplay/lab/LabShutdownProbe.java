package io.pcapreplay.lab;

/** A JVM that builds a lab, prints its namespaces and exits without closing it: the shutdown hook must clean up. */
public final class LabShutdownProbe {
    private LabShutdownProbe() {
    }

    public static void main(String[] args) {
        Lab lab = Lab.create();
        lab.target().start("sleep", "60");
        for (LabRole role : LabRole.values()) {
            System.out.println(lab.host(role).namespace());
        }
        System.out.println(lab.workDir());
        System.exit(0);
    }
}
