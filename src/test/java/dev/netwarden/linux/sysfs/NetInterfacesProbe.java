package dev.netwarden.linux.sysfs;

import dev.netwarden.linux.CLocaleJava;

import java.nio.file.Path;

/**
 * Run by {@link NetInterfacesTest} in a C-locale JVM: reads the fake tree at args[0] and prints
 * {@code name=index} for each of args[1..] (names given as \\uXXXX escapes are looked up by the
 * decoded name), then {@code jnu=<sun.jnu.encoding>}.
 */
public final class NetInterfacesProbe {
    private NetInterfacesProbe() {
    }

    public static void main(String[] args) {
        NetInterfaces interfaces = NetInterfaces.read(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            int index = Integer.parseInt(args[i]);
            String name = interfaces.nameOf(index);
            System.out.println(index + "=" + (name == null ? "null" : CLocaleJava.escape(name))
                    + " back=" + (name == null ? 0 : interfaces.indexOf(name)));
        }
        System.out.println("jnu=" + System.getProperty("sun.jnu.encoding"));
    }
}
