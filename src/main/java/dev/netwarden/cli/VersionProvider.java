package dev.netwarden.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (Maven writes it), so it is never out of step with the build. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"netwarden " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.version")};
    }
}
