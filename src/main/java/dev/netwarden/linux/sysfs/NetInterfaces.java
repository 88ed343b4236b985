package dev.netwarden.linux.sysfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Interface name ⇄ index of the caller's network namespace, read once from /sys/class/net.
 *
 * <p>Why sysfs and not netlink RTM_GETLINK: a handful of files, read only when a listing shows or
 * filters by interface; {@code ip netns exec} remounts /sys for the namespace, so it is the right view.
 * A missing or unreadable /sys yields an empty table: names then show as indexes.
 */
public final class NetInterfaces {
    private final Map<String, Integer> byName;
    private final Map<Integer, String> byIndex;

    private NetInterfaces(Map<String, Integer> byName) {
        this.byName = Map.copyOf(byName);
        Map<Integer, String> rev = new HashMap<>();
        byName.forEach((n, i) -> rev.put(i, n));
        this.byIndex = Map.copyOf(rev);
    }

    /** Reads {@code root}/NAME/ifindex for every interface (root is normally /sys/class/net). */
    public static NetInterfaces read(Path root) {
        Map<String, Integer> names = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                try {
                    int index = Integer.parseInt(Files.readString(p.resolve("ifindex")).trim());
                    names.put(p.getFileName().toString(), index);
                } catch (IOException | NumberFormatException e) {
                    // an interface that vanished or has no readable index is simply not nameable
                }
            }
        } catch (IOException e) {
            // no /sys: indexes only
        }
        return new NetInterfaces(names);
    }

    public static NetInterfaces current() {
        return read(Path.of("/sys/class/net"));
    }

    /** The index of {@code name}, or 0 when there is no such interface. */
    public int indexOf(String name) {
        Integer i = byName.get(name);
        return i == null ? 0 : i;
    }

    /** The name of interface {@code index}, or null when unknown. */
    public String nameOf(int index) {
        return byIndex.get(index);
    }
}
